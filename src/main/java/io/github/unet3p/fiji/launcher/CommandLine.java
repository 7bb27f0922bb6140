package io.github.unet3p.fiji.launcher;

import java.util.ArrayList;
import java.util.List;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * The launcher's command line, in Fiji's own syntax:
 * {@code [--headless] --run "<command>" ["key='v',k2=3"]} or
 * {@code [--headless] -macro <file.ijm> ['argument']}, or {@code --help} / {@code --commands}.
 */
final class CommandLine {

	/** What the launcher is asked to do. */
	enum Action {
		RUN, MACRO, HELP, LIST
	}

	final Action action;
	final boolean headless;
	/** Command name (RUN) or macro file (MACRO). */
	final String target;
	/** Argument string: {@code key='v',...} (RUN) or the macro's argument (MACRO); never null. */
	final String arguments;

	private CommandLine(final Action action, final boolean headless, final String target, final String arguments) {
		this.action = action;
		this.headless = headless;
		this.target = target;
		this.arguments = arguments == null ? "" : arguments;
	}

	/** Parses the launcher's arguments; unknown options are user errors. */
	static CommandLine parse(final String... args) {
		boolean headless = false;
		final List<String> rest = new ArrayList<>();
		Action action = null;
		for (int i = 0; i < args.length; i++) {
			final String a = args[i];
			switch (a) {
				case "--headless":
				case "-batch":
					headless = true;
					break;
				case "--run":
				case "-run":
					action = require(action, Action.RUN);
					break;
				case "-macro":
				case "--macro":
					action = require(action, Action.MACRO);
					break;
				case "-h":
				case "--help":
					action = require(action, Action.HELP);
					break;
				case "--commands":
					action = require(action, Action.LIST);
					break;
				default:
					if (a.startsWith("-") && rest.isEmpty() && action == null)
						throw new InvalidInputException("Unknown option '" + a + "'. Try --help.");
					rest.add(a);
			}
		}
		if (action == null) action = rest.isEmpty() ? Action.HELP : null;
		if (action == null) throw new InvalidInputException("Say what to do: --run \"<command>\" \"key='value',...\" or -macro <file.ijm>. Try --help.");
		if (action == Action.HELP || action == Action.LIST) return new CommandLine(action, headless, null, null);
		if (rest.isEmpty()) throw new InvalidInputException((action == Action.RUN ? "--run needs a command name" : "-macro needs a macro file") + ". Try --help.");
		if (rest.size() > 2) throw new InvalidInputException("Too many arguments after " + (action == Action.RUN ? "--run" : "-macro") + ": " + rest
				+ ". Quote the whole option string: \"key='value',key2=3\".");
		return new CommandLine(action, headless, rest.get(0), rest.size() > 1 ? rest.get(1) : "");
	}

	private static Action require(final Action current, final Action wanted) {
		if (current != null && current != wanted) throw new InvalidInputException("Give only one of --run, -macro, --help, --commands.");
		return wanted;
	}

	static final String USAGE = String.join("\n",
			"UNet3+ for Fiji — the UNet 3+ liver-CT recipe outside Fiji, with Fiji's syntax.",
			"",
			"Usage:",
			"  ./unet3p --headless --run \"<command>\" \"key='value',key2=3\"",
			"  ./unet3p --headless -macro <file.ijm> '<argument>'",
			"  ./unet3p --commands        lists the commands and their keys",
			"",
			"<command> is the menu label (e.g. \"UNet3+ Preprocess\") or the command's class name.",
			"The same lines work in Fiji (Latest, Java 21) as: fiji-linux-x64 --headless --run \"<command>\" \"...\"");
}
