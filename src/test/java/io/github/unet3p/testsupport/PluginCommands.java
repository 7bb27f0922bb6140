package io.github.unet3p.testsupport;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

import io.github.unet3p.fiji.command.UNet3pCommand;
import io.github.unet3p.fiji.launcher.CommandRunner;

/**
 * The plugin's commands as SciJava discovers them (its plugin index, through
 * {@link CommandService}), each with the keys {@code ./unet3p --commands} lists; test-only
 * commands (on the test class path) are left out.
 */
public final class PluginCommands {

	private PluginCommands() {}

	/** Menu label to the command's user keys, in declaration order. */
	public static Map<String, List<ModuleItem<?>>> keys() {
		final Map<String, List<ModuleItem<?>>> map = new TreeMap<>();
		try (Context context = new Context()) {
			final CommandRunner runner = new CommandRunner(context);
			for (final CommandInfo info : context.service(CommandService.class).getCommands()) {
				if (!info.getClassName().startsWith("io.github.unet3p.") || !isPluginClass(info.getClassName())) continue;
				map.put(CommandRunner.label(info), List.copyOf(runner.userInputs(info)));
			}
		}
		if (map.isEmpty()) throw new AssertionError("SciJava's plugin index lists no UNet3+ command");
		return map;
	}

	/** Whether {@code className} comes from the plugin's classes, not from the test classes. */
	public static boolean isPluginClass(final String className) {
		try {
			final URL location = Class.forName(className).getProtectionDomain().getCodeSource().getLocation();
			return location.equals(UNet3pCommand.class.getProtectionDomain().getCodeSource().getLocation());
		}
		catch (final ClassNotFoundException e) {
			throw new AssertionError("listed command class not loadable: " + className, e);
		}
	}
}
