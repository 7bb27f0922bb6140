package io.github.unet3p.fiji.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import ij.macro.Interpreter;
import io.github.unet3p.fiji.command.PreprocessCommand;

import io.github.unet3p.testsupport.Launch;

/**
 * A failed command aborts the ImageJ 1.x macro that called it, with its message: the macro's next
 * statement and its next {@code run(...)} never start. Run through the plugin's macro path (the
 * launcher's {@code -macro}: ImageJ's interpreter, {@link CommandBridge}, the command on a
 * SciJava thread as in Fiji).
 */
public class MacroAbortTest {

	@TempDir
	Path tmp;

	@Test
	void aCommandThatFailsStopsTheMacroBeforeItsNextRun() throws Exception {
		final Path second = tmp.resolve("second");
		final Path macro = tmp.resolve("two.ijm");
		Files.writeString(macro, String.join("\n",
				"run(\"UNet3+ Preprocess\", \"input=[" + tmp.resolve("nowhere") + "] output=[" + tmp.resolve("prep") + "] hu_min=-200 hu_max=250 size=32 overwrite=false\");",
				"print(\"after the failed run\");",
				"run(\"UNet3+ Synthetic CT\", \"output=[" + second + "] count=1 size=32 slices=1 seed=1 spacing=[]\");", ""));
		final Launch.Outcome o = Launch.launch("-macro", macro.toString());
		assertEquals(1, o.status(), o.text());
		assertTrue(o.err().contains("nowhere: no such file or folder"), "the command's message:\n" + o.text());
		assertFalse(o.text().contains("after the failed run"), "the statement after the failed run ran:\n" + o.text());
		assertFalse(Files.exists(second), "the second run(...) ran:\n" + o.text());
		assertFalse(o.text().contains("\tat "), "no stack trace:\n" + o.text());
	}

	@Test
	void aValueTheCommandCannotTakeStopsTheMacroToo() throws Exception {
		final Path first = tmp.resolve("first"), second = tmp.resolve("second");
		final Path macro = tmp.resolve("bad-value.ijm");
		Files.writeString(macro, String.join("\n",
				"run(\"UNet3+ Synthetic CT\", \"output=[" + first + "] count=many size=32 slices=1 seed=1 spacing=[]\");",
				"print(\"after the refused run\");",
				"run(\"UNet3+ Synthetic CT\", \"output=[" + second + "] count=1 size=32 slices=1 seed=1 spacing=[]\");", ""));
		final Launch.Outcome o = Launch.launch("-macro", macro.toString());
		assertEquals(1, o.status(), o.text());
		assertTrue(o.err().contains("Key 'count' of 'UNet3+ Synthetic CT' needs a whole number, not 'many'"), o.text());
		assertFalse(o.text().contains("after the refused run"), o.text());
		assertFalse(Files.exists(first) || Files.exists(second), o.text());
	}

	@Test
	void aCommandRunLikeImageJLegacyRunsItAbortsTheWaitingMacroItself() throws Exception {
		final ByteArrayOutputStream printed = new ByteArrayOutputStream();
		final PrintStream out = System.out;
		System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
		final boolean batch = Interpreter.batchMode;
		try {
			Interpreter.batchMode = true;
			final Interpreter macro = new Interpreter();
			macro.setIgnoreErrors(true);
			macro.run("call(\"" + MacroAbortTest.class.getName() + ".runOnASciJavaThread\", \"" + tmp.resolve("nowhere") + "\", \"" + tmp.resolve("out")
					+ "\");\nprint(\"after the failed command\");\n", "");
			assertTrue(macro.getErrorMessage() != null && macro.getErrorMessage().contains("nowhere"), "the macro ended with the message: " + macro.getErrorMessage() + "; printed: " + printed);
		}
		finally {
			Interpreter.batchMode = batch;
			System.setOut(out);
		}
		assertFalse(printed.toString(StandardCharsets.UTF_8).contains("after the failed command"), printed.toString(StandardCharsets.UTF_8));
	}

	/**
	 * What imagej-legacy does for a macro's {@code run("UNet3+ …")} in Fiji: runs the command's
	 * module on a SciJava thread and waits for it on the macro's thread. Called from the macro.
	 */
	public static String runOnASciJavaThread(final String input, final String output) throws Exception {
		try (Context context = new Context()) {
			final ModuleService modules = context.service(ModuleService.class);
			final Module module = modules.createModule(context.service(CommandService.class).getCommand(PreprocessCommand.class));
			modules.run(module, false, Map.of("input", new File(input), "output", new File(output))).get();
		}
		return "";
	}
}
