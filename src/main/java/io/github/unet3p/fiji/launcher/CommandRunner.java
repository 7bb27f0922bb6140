package io.github.unet3p.fiji.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.module.process.LoadInputsPreprocessor;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.module.process.SaveInputsPreprocessor;
import org.scijava.plugin.PluginService;
import org.scijava.service.Service;

import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.fiji.command.UNet3pCommand;

/**
 * Runs a UNet3+ command by name with textual key/value options, the way Fiji's headless
 * {@code --run} and imagej-legacy's macro {@code run()} do: the command is found by menu label or
 * class name, each value is converted to its parameter's type, and keys not given take the
 * parameter's declared default.
 *
 * <p>NB: omitted keys get the declared default, never a value remembered from an earlier run, so a
 * batch job means the same thing every time it runs; and a run remembers nothing either: SciJava's
 * {@link LoadInputsPreprocessor} and {@link SaveInputsPreprocessor} are left out of the chain, so the
 * launcher and the tests never read or write the preferences Fiji keeps ({@code java.util.prefs}).
 */
public final class CommandRunner {

	private final Context context;
	private final CommandService commands;
	private final ModuleService modules;
	private final ConvertService convert;
	private final PluginService plugins;

	/** A runner over the commands known to {@code context}. */
	public CommandRunner(final Context context) {
		this.context = context;
		this.commands = context.service(CommandService.class);
		this.modules = context.service(ModuleService.class);
		this.convert = context.service(ConvertService.class);
		this.plugins = context.service(PluginService.class);
	}

	/** The UNet3+ commands, by menu label. */
	public Map<String, CommandInfo> unet3pCommands() {
		final Map<String, CommandInfo> map = new TreeMap<>();
		for (final CommandInfo info : commands.getCommands()) {
			if (info.getClassName().startsWith("io.github.unet3p.") && info.getMenuPath() != null && info.getMenuPath().getLeaf() != null)
				map.put(info.getMenuPath().getLeaf().getName(), info);
		}
		return map;
	}

	/** Finds a command by menu label, title, or (simple or full) class name. */
	public CommandInfo find(final String name) {
		for (final CommandInfo info : commands.getCommands()) {
			final String cls = info.getClassName();
			final String leaf = info.getMenuPath() == null || info.getMenuPath().getLeaf() == null ? null : info.getMenuPath().getLeaf().getName();
			if (name.equals(leaf) || name.equals(cls) || name.equals(info.getTitle()) || cls.endsWith("." + name) && cls.startsWith("io.github.unet3p."))
				return info;
		}
		throw new InvalidInputException("No command named '" + name + "'. Known commands: " + String.join(", ", unet3pCommands().keySet()) + ".");
	}

	/** The keys a user may set for {@code info}: its non-service inputs, in declaration order. */
	public List<ModuleItem<?>> userInputs(final CommandInfo info) {
		final List<ModuleItem<?>> items = new ArrayList<>();
		for (final ModuleItem<?> item : info.inputs())
			if (!isInjected(item)) items.add(item);
		return items;
	}

	/**
	 * Runs command {@code name} with {@code options} (key to text) and waits for it.
	 *
	 * @return the finished module (outputs can be read from it)
	 * @throws InvalidInputException for an unknown command or key, a missing required key, a value
	 *           of the wrong type, or a command that fails (its message)
	 */
	public Module run(final String name, final Map<String, String> options) throws InterruptedException {
		final CommandInfo info = find(name);
		final Module module = modules.createModule(info);
		final List<ModuleItem<?>> inputs = userInputs(info);
		final Map<String, ModuleItem<?>> byName = inputs.stream().collect(Collectors.toMap(ModuleItem::getName, i -> i, (a, b) -> a, TreeMap::new));
		for (final String key : options.keySet())
			if (!byName.containsKey(key)) throw new InvalidInputException("Command '" + label(info) + "' has no key '" + key + "'. Its keys are: "
					+ String.join(", ", byName.keySet()) + ".");
		for (final ModuleItem<?> item : inputs) {
			final String key = item.getName();
			if (options.containsKey(key)) {
				module.setInput(key, convert(info, item, options.get(key)));
			}
			else if (item.isRequired() && module.getInput(key) == null) {
				throw new InvalidInputException("Command '" + label(info) + "' needs the key '" + key + "'" + describe(item) + ".");
			}
			module.resolveInput(key);
		}
		try {
			modules.run(module, preprocessors(), plugins.createInstancesOfType(PostprocessorPlugin.class), Map.of()).get();
		}
		catch (final ExecutionException e) {
			final Throwable cause = e.getCause() == null ? e : e.getCause();
			if (cause instanceof InvalidInputException) throw (InvalidInputException) cause;
			throw new IllegalStateException("Command '" + label(info) + "' crashed: " + cause, cause);
		}
		final Object delegate = module.getDelegateObject();
		if (delegate instanceof UNet3pCommand) {
			final String failure = ((UNet3pCommand) delegate).failure();
			if (failure != null) throw new CommandFailedException(failure);
		}
		return module;
	}

	/** SciJava's preprocessors but the two that load and save remembered values. */
	private List<PreprocessorPlugin> preprocessors() {
		final List<PreprocessorPlugin> chain = new ArrayList<>(plugins.createInstancesOfType(PreprocessorPlugin.class));
		chain.removeIf(p -> p instanceof LoadInputsPreprocessor || p instanceof SaveInputsPreprocessor);
		return chain;
	}

	private Object convert(final CommandInfo info, final ModuleItem<?> item, final String text) {
		final Class<?> type = item.getType();
		final Object value;
		try {
			value = type == String.class ? text : isNumber(type) ? convert.convert(parseNumber(type, text.trim()), type) : convert.convert(text, type);
		}
		catch (final RuntimeException e) {
			throw badValue(info, item, text);
		}
		if (value == null) throw badValue(info, item, text);
		if ((type == boolean.class || type == Boolean.class) && !text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false"))
			throw badValue(info, item, text);
		if (item.getChoices() != null && !item.getChoices().isEmpty() && !item.getChoices().contains(value))
			throw new InvalidInputException("Key '" + item.getName() + "' of '" + label(info) + "' cannot be '" + text + "'; choose one of: "
					+ String.join(", ", item.getChoices().stream().map(Objects::toString).collect(Collectors.toList())) + ".");
		return value;
	}

	private static boolean isNumber(final Class<?> type) {
		return type.isPrimitive() && type != boolean.class && type != char.class || Number.class.isAssignableFrom(type);
	}

	/** Parses strictly, so that "many" or "3x" is an error rather than a silent 0. */
	private static Number parseNumber(final Class<?> type, final String text) {
		if (type == int.class || type == Integer.class) return Integer.valueOf(text);
		if (type == long.class || type == Long.class) return Long.valueOf(text);
		final double d = Double.parseDouble(text);
		if (!Double.isFinite(d)) throw new NumberFormatException(text);
		return d;
	}

	private static InvalidInputException badValue(final CommandInfo info, final ModuleItem<?> item, final String text) {
		return new InvalidInputException("Key '" + item.getName() + "' of '" + label(info) + "' needs " + article(item.getType()) + ", not '" + text + "'.");
	}

	private static String article(final Class<?> type) {
		if (type == int.class || type == Integer.class || type == long.class || type == Long.class) return "a whole number";
		if (type == double.class || type == Double.class || type == float.class || type == Float.class) return "a number";
		if (type == boolean.class || type == Boolean.class) return "true or false";
		if (type == java.io.File.class) return "a file or folder path";
		return "a " + type.getSimpleName();
	}

	private static String describe(final ModuleItem<?> item) {
		final String d = item.getDescription();
		return d == null || d.isEmpty() ? "" : " (" + d + ")";
	}

	/** The menu label of a command, or its class name. */
	public static String label(final CommandInfo info) {
		return info.getMenuPath() != null && info.getMenuPath().getLeaf() != null ? info.getMenuPath().getLeaf().getName() : info.getClassName();
	}

	private static boolean isInjected(final ModuleItem<?> item) {
		final Class<?> t = item.getType();
		return Service.class.isAssignableFrom(t) || Context.class.isAssignableFrom(t);
	}

	/** A command ran and reported failure; the message is already user-facing. */
	public static final class CommandFailedException extends InvalidInputException {

		private static final long serialVersionUID = 1L;

		CommandFailedException(final String message) {
			super(message);
		}
	}
}
