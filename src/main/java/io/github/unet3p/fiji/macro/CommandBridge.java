package io.github.unet3p.fiji.macro;

import java.lang.reflect.Field;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;

import org.scijava.module.ModuleItem;

import ij.Macro;
import ij.Menus;
import ij.plugin.PlugIn;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.fiji.command.RunningMacro;
import io.github.unet3p.fiji.launcher.CommandRunner;

/**
 * Lets ImageJ 1.x macros call UNet3+ commands with {@code run("UNet3+ Train", "train=[...] ...")}
 * outside Fiji. Each command's menu label is registered in ImageJ's command table with this
 * plugin as its handler; the plugin reads the macro's option string key by key with
 * {@link Macro#getValue} (ImageJ's own matching rules) and runs the SciJava command.
 *
 * <p>NB: inside Fiji, imagej-legacy does this mapping itself; this bridge is only installed by
 * the {@code ./unet3p} launcher, which has no imagej-legacy.
 */
public final class CommandBridge implements PlugIn {

	private static volatile CommandRunner runner;
	private static volatile String failure;

	/** Registers every UNet3+ command label in ImageJ's command table, served by {@code with}. */
	public static void install(final CommandRunner with) {
		runner = with;
		failure = null;
		final Hashtable<String, String> table = commandTable();
		for (final String label : with.unet3pCommands().keySet())
			table.put(label, CommandBridge.class.getName() + "(\"" + label + "\")");
	}

	/** The first failure message of a bridged command since {@link #install}, or null. */
	public static String failure() {
		return failure;
	}

	@Override
	public void run(final String label) {
		final CommandRunner r = runner;
		if (r == null) throw new IllegalStateException("CommandBridge used before install()");
		final String options = Macro.getOptions();
		final Map<String, String> values = new LinkedHashMap<>();
		for (final ModuleItem<?> item : r.userInputs(r.find(label))) {
			final String key = item.getName();
			final String v = options == null ? null : Macro.getValue(options, key, null);
			if (v != null) values.put(key, v);
			else if (options != null && isBoolean(item) && hasFlag(options, key)) values.put(key, "true");
		}
		try {
			r.run(label, values);
		}
		catch (final CommandRunner.CommandFailedException e) {
			fail(e.getMessage(), false);
		}
		catch (final InvalidInputException e) {
			fail(e.getMessage(), true);
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			fail(label + " was interrupted", true);
		}
	}

	/**
	 * Records the failure and stops the running macro before its next statement. NB: a command
	 * that ran and failed has already aborted the macro itself ({@link RunningMacro}, as in Fiji);
	 * a refusal before the command ran (an unknown key, a value of the wrong type) is aborted here.
	 */
	private static void fail(final String message, final boolean print) {
		if (failure == null) failure = message;
		if (print) System.err.println("unet3p: " + message);
		RunningMacro.abort(message);
	}

	private static boolean isBoolean(final ModuleItem<?> item) {
		return item.getType() == boolean.class || item.getType() == Boolean.class;
	}

	/** ImageJ writes a checked box as the bare key ("resume"), an unchecked one not at all. */
	private static boolean hasFlag(final String options, final String key) {
		for (final String word : (" " + options + " ").split("\\s+"))
			if (word.equals(key)) return true;
		return false;
	}

	@SuppressWarnings("unchecked")
	private static Hashtable<String, String> commandTable() {
		final Hashtable<String, String> existing = Menus.getCommands();
		if (existing != null) return existing;
		// Headless without ImageJ's menus: the command table is not built yet; create it.
		try {
			final Field f = Menus.class.getDeclaredField("pluginsTable");
			f.setAccessible(true);
			synchronized (Menus.class) {
				if (f.get(null) == null) f.set(null, new Hashtable<String, String>());
				return (Hashtable<String, String>) f.get(null);
			}
		}
		catch (final ReflectiveOperationException e) {
			throw new IllegalStateException("Cannot register commands with ImageJ 1.x's command table", e);
		}
	}
}
