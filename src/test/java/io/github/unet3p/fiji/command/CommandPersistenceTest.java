package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.scijava.module.ModuleItem;

import io.github.unet3p.testsupport.PluginCommands;

/**
 * Which keys Fiji remembers between runs (SciJava saves every input whose {@code persist} is true
 * and offers it again in the dialog, and gives it to a macro or {@code --run} line that leaves
 * the key out), for every command SciJava's plugin index lists, each with its reason. A command
 * that gains a key fails here until the key is added to {@link #DECISIONS} with a decision.
 *
 * <p>The rule: a key is forgotten when a remembered value could destroy or surprise: it replaces,
 * skips or continues existing outputs; it acts beyond the command's outputs; or it is an optional
 * input whose empty value means "none", "the active image" or "the default place", so that a
 * remembered one would silently read or write other files. Everything else is a setting of the
 * method or a required file, which Fiji's dialogs offer again, as for every Fiji command.
 */
class CommandPersistenceTest {

	private static final String SETTING = "persists: a setting of the method; the dialog offers the last value, macros pass every key (MacroKeysTest)";
	private static final String REQUIRED_FILE = "persists: a required file or folder; the dialog offers the last one, and an existing output is refused without overwrite";
	private static final String REPLACES = "forgotten: replaces, skips or continues existing outputs; asked for on every run";
	private static final String ACTS = "forgotten: acts beyond the command's outputs (a download, the engine of the next start)";
	private static final String OPTIONAL_INPUT = "forgotten: optional input whose empty value means none, the active image or the default place";

	/** Command, then key to decision; the decision's first word says whether the key persists. */
	private static final Map<String, Map<String, String>> DECISIONS = new LinkedHashMap<>();

	static {
		decide("UNet3+ Synthetic CT", REQUIRED_FILE, "output");
		decide("UNet3+ Synthetic CT", SETTING, "count", "size", "slices", "seed", "spacing");
		decide("UNet3+ Preprocess", REQUIRED_FILE, "input", "output");
		decide("UNet3+ Preprocess", SETTING, "hu_min", "hu_max", "size");
		decide("UNet3+ Preprocess", REPLACES, "overwrite");
		decide("UNet3+ Prepare Open Image", OPTIONAL_INPUT, "input");
		decide("UNet3+ Prepare Open Image", SETTING, "hu_min", "hu_max", "size");
		decide("UNet3+ Train", REQUIRED_FILE, "train", "validation", "model");
		decide("UNet3+ Train", SETTING, "variant", "backbone", "filters", "classes", "epochs", "batch", "learning_rate", "loss", "seed", "patience",
				"augment", "cache", "clip_norm", "devices", "bn_recalibrate");
		decide("UNet3+ Train", REPLACES, "resume");
		decide("UNet3+ Train", OPTIONAL_INPUT, "init");
		decide("UNet3+ Segment", REQUIRED_FILE, "model");
		decide("UNet3+ Segment", OPTIONAL_INPUT, "input");
		decide("UNet3+ Segment", SETTING, "batch", "largest_component", "fill_holes", "tta_flip", "probabilities", "precision", "engine", "outline");
		decide("UNet3+ Segment Files", REQUIRED_FILE, "model", "input", "output");
		decide("UNet3+ Segment Files", SETTING, "batch", "largest_component", "fill_holes", "tta_flip", "probabilities", "precision", "engine");
		decide("UNet3+ Segment Files", REPLACES, "overwrite", "skip_existing");
		decide("UNet3+ Evaluate", OPTIONAL_INPUT, "prediction", "truth", "model", "data");
		decide("UNet3+ Evaluate", REQUIRED_FILE, "output");
		decide("UNet3+ Evaluate", SETTING, "batch", "precision", "engine", "label");
		decide("UNet3+ Overlay", REQUIRED_FILE, "ct", "prediction", "output");
		decide("UNet3+ Overlay", OPTIONAL_INPUT, "truth");
		decide("UNet3+ Overlay", SETTING, "slices", "hu_min", "hu_max", "zoom");
		decide("UNet3+ Benchmark", OPTIONAL_INPUT, "model");
		decide("UNet3+ Benchmark", SETTING, "mode", "variant", "backbone", "filters", "classes", "size", "batch", "warmup", "steps", "seed", "precision",
				"devices", "engine");
		decide("UNet3+ Export", REQUIRED_FILE, "model");
		decide("UNet3+ Export", OPTIONAL_INPUT, "output");
		decide("UNet3+ Export", REPLACES, "overwrite");
		decide("UNet3+ Export", SETTING, "format", "authors");
		decide("UNet3+ Import", REQUIRED_FILE, "input", "model");
		decide("UNet3+ Import", SETTING, "variant", "backbone", "classes", "size");
		decide("UNet3+ Import", REPLACES, "overwrite");
		decide("UNet3+ Engine", ACTS, "fetch", "use", "flavor");
		decide("UNet3+ Model Summary", SETTING, "variant", "backbone", "filters", "classes", "size", "mode");
	}

	private static void decide(final String command, final String decision, final String... keys) {
		final Map<String, String> map = DECISIONS.computeIfAbsent(command, c -> new LinkedHashMap<>());
		for (final String key : keys)
			if (map.put(key, decision) != null) throw new AssertionError(command + ": key " + key + " decided twice");
	}

	@Test
	void everyKeyOfEveryCommandPersistsExactlyAsDecided() {
		final Map<String, List<ModuleItem<?>>> commands = PluginCommands.keys();
		final List<String> problems = new ArrayList<>();
		for (final Map.Entry<String, List<ModuleItem<?>>> c : commands.entrySet()) {
			final Map<String, String> decided = DECISIONS.get(c.getKey());
			if (decided == null) {
				problems.add(c.getKey() + ": a command with no persistence decisions; add its keys to DECISIONS");
				continue;
			}
			final TreeSet<String> declared = new TreeSet<>();
			for (final ModuleItem<?> item : c.getValue()) {
				declared.add(item.getName());
				final String decision = decided.get(item.getName());
				if (decision == null) {
					problems.add(c.getKey() + ": key '" + item.getName() + "' (persist = " + item.isPersisted() + ") is not in DECISIONS; decide whether Fiji may remember it");
					continue;
				}
				final boolean shouldPersist = decision.startsWith("persists:");
				if (item.isPersisted() != shouldPersist)
					problems.add(c.getKey() + ": key '" + item.getName() + "' has persist = " + item.isPersisted() + ", but " + decision);
			}
			for (final String key : decided.keySet())
				if (!declared.contains(key)) problems.add(c.getKey() + ": DECISIONS names key '" + key + "', which the command does not have");
		}
		for (final String command : DECISIONS.keySet())
			if (!commands.containsKey(command)) problems.add("DECISIONS names command '" + command + "', which SciJava does not list");
		assertTrue(problems.isEmpty(), String.join("\n", problems));
	}

	@Test
	void theForgottenKeysAreTheOnesThatCanDestroyOrSurprise() {
		final List<String> forgotten = new ArrayList<>();
		PluginCommands.keys().forEach((command, items) -> items.stream().filter(i -> !i.isPersisted()).forEach(i -> forgotten.add(command + "/" + i.getName())));
		for (final String key : List.of("UNet3+ Preprocess/overwrite", "UNet3+ Segment Files/overwrite", "UNet3+ Segment Files/skip_existing",
				"UNet3+ Train/resume", "UNet3+ Engine/fetch", "UNet3+ Engine/use", "UNet3+ Evaluate/model", "UNet3+ Evaluate/data", "UNet3+ Export/overwrite"))
			assertTrue(forgotten.contains(key), key + " must not be remembered between runs; forgotten: " + forgotten);
	}
}
