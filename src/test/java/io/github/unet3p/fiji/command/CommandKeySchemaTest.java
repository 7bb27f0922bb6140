package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.service.Service;

import io.github.unet3p.core.bench.BenchmarkSettings;
import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.InferenceSettings;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.metrics.LabelRule;
import io.github.unet3p.core.model.Backbone;
import io.github.unet3p.core.model.Mode;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.Variant;
import io.github.unet3p.core.preprocess.PreprocessSettings;
import io.github.unet3p.core.synth.SyntheticCtSettings;
import io.github.unet3p.core.train.Augmentation;
import io.github.unet3p.core.train.LossKind;
import io.github.unet3p.core.train.TrainSettings;

/**
 * One key schema: every key's default is declared once, beside the settings it configures, and
 * every command field takes it from there. For each command: a field with a choice list offers
 * exactly its enum's keys and defaults to the enum's {@code DEFAULT}; any other field equals the
 * {@code DEFAULT_<KEY>} constant of the command's settings classes (first that declares one), or
 * is an input with no default (a file, an empty text, false).
 */
class CommandKeySchemaTest {

	/** The enum behind each choice key. */
	private static final Map<String, Class<? extends Enum<?>>> CHOICES = Map.of("variant", Variant.class, "backbone", Backbone.class, "loss",
		LossKind.class, "augment", Augmentation.class, "precision", Precision.class, "label", LabelRule.class, "mode", Mode.class, "engine", InferenceEngine.class,
		"format", io.github.unet3p.core.bioimageio.ExportFormat.class);

	/** Where each command's defaults live, searched in order. */
	private static final Map<String, List<Class<?>>> SETTINGS = new LinkedHashMap<>();
	static {
		SETTINGS.put("TrainCommand", List.of(TrainSettings.class, ModelSpec.class));
		SETTINGS.put("BenchmarkCommand", List.of(BenchmarkSettings.class, ModelSpec.class));
		SETTINGS.put("ModelSummaryCommand", List.of(ModelSpec.class));
		SETTINGS.put("EvaluateCommand", List.of(InferenceSettings.class));
		SETTINGS.put("SegmentCommand", List.of(InferenceSettings.class, InferenceOptions.class));
		SETTINGS.put("SegmentFilesCommand", List.of(InferenceSettings.class));
		SETTINGS.put("PreprocessCommand", List.of(PreprocessSettings.class));
		SETTINGS.put("PrepareImageCommand", List.of(PreprocessSettings.class));
		SETTINGS.put("SyntheticCtCommand", List.of(SyntheticCtSettings.class));
		SETTINGS.put("EngineCommand", List.of());
		SETTINGS.put("ExportCommand", List.of());
		SETTINGS.put("ImportCommand", List.of(ModelSpec.class));
		SETTINGS.put("OverlayCommand", List.of(OverlayRenderer.class, PreprocessSettings.class));
	}

	@Test
	void everyCommandIsInTheTable() throws Exception {
		final List<String> missing = new ArrayList<>();
		for (final Class<?> c : commands())
			if (!SETTINGS.containsKey(c.getSimpleName())) missing.add(c.getSimpleName());
		assertTrue(missing.isEmpty(), "commands whose settings classes this test does not know yet: " + missing);
	}

	@Test
	void everyFieldDefaultAndChoiceListComesFromTheSchema() throws Exception {
		final List<String> problems = new ArrayList<>();
		for (final Class<?> c : commands()) {
			final Object command = c.getDeclaredConstructor().newInstance();
			for (final Field f : keyFields(c)) {
				f.setAccessible(true);
				final String where = c.getSimpleName() + "." + f.getName();
				final Object value = f.get(command);
				final String[] choices = f.getAnnotation(Parameter.class).choices();
				if (choices.length > 0) {
					final Class<? extends Enum<?>> e = CHOICES.get(f.getName());
					if (e == null) {
						problems.add(where + ": a choice key with no enum in this test's table");
						continue;
					}
					final Object listed = e.getMethod("keys").invoke(null);
					final List<?> keys = listed instanceof Object[] a ? Arrays.asList(a) : (List<?>) listed;
					if (!Arrays.asList(choices).equals(keys)) problems.add(where + ": choices " + Arrays.toString(choices) + " but " + e.getSimpleName() + " has " + keys);
					final Object def = e.getField("DEFAULT").get(null);
					final Object defKey = def.getClass().getMethod("key").invoke(def);
					if (!defKey.equals(value)) problems.add(where + ": default '" + value + "' but " + e.getSimpleName() + ".DEFAULT is '" + defKey + "'");
					continue;
				}
				final Object declared = declaredDefault(SETTINGS.getOrDefault(c.getSimpleName(), List.of()), f.getName());
				if (declared != null) {
					if (!declared.equals(value)) problems.add(where + ": default " + value + " but the schema says " + declared);
				}
				else if (!(value == null || "".equals(value) || Boolean.FALSE.equals(value)))
					problems.add(where + ": default " + value + " is not declared as a DEFAULT_" + f.getName().toUpperCase() + " constant");
			}
		}
		assertTrue(problems.isEmpty(), String.join("\n", problems));
	}

	@Test
	void theCheckSeesADefaultThatDisagrees() throws Exception {
		assertEquals(TrainSettings.DEFAULT_EPOCHS, declaredDefault(SETTINGS.get("TrainCommand"), "epochs"));
		assertEquals(ModelSpec.DEFAULT_FILTERS, declaredDefault(SETTINGS.get("TrainCommand"), "filters"));
		assertEquals(null, declaredDefault(SETTINGS.get("TrainCommand"), "train"));
	}

	/** The {@code DEFAULT_<KEY>} constant of the first settings class that declares one. */
	static Object declaredDefault(final List<Class<?>> settings, final String key) throws IllegalAccessException {
		for (final Class<?> s : settings)
			for (final Field d : s.getDeclaredFields())
				if (Modifier.isStatic(d.getModifiers()) && d.getName().equals("DEFAULT_" + key.toUpperCase(java.util.Locale.ROOT))) {
					d.setAccessible(true);
					return d.get(null);
				}
		return null;
	}

	/** The fields that are keys: SciJava parameters that are neither services nor the context. */
	static List<Field> keyFields(final Class<?> c) {
		final List<Field> out = new ArrayList<>();
		for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass())
			for (final Field f : k.getDeclaredFields())
				if (f.isAnnotationPresent(Parameter.class) && !Service.class.isAssignableFrom(f.getType())
					&& !f.getType().getName().startsWith("org.scijava") && !f.getType().getName().startsWith("ij.")
					&& (f.getType().isPrimitive() || f.getType() == String.class || f.getType() == File.class))
					out.add(f);
		return out;
	}

	/** Every SciJava command class of the plugin. */
	static List<Class<?>> commands() throws Exception {
		final Path dir = Path.of("target/classes/io/github/unet3p/fiji/command");
		final List<Class<?>> out = new ArrayList<>();
		try (Stream<Path> files = Files.list(dir)) {
			for (final Path f : (Iterable<Path>) files.sorted()::iterator) {
				final String name = f.getFileName().toString();
				if (!name.endsWith("Command.class") || name.contains("$")) continue;
				final Class<?> c = Class.forName("io.github.unet3p.fiji.command." + name.substring(0, name.length() - 6));
				final Plugin p = c.getAnnotation(Plugin.class);
				if (p != null && Command.class.isAssignableFrom(p.type()) && !Modifier.isAbstract(c.getModifiers())) out.add(c);
			}
		}
		assertTrue(out.size() >= 10, "found the commands: " + out);
		return out;
	}
}
