package io.github.unet3p.fiji.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher with Fiji's syntax: command lookup, key conversion, defaults and exit codes. */
class LauncherTest {

	@TempDir
	Path tmp;

	private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
	private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

	private PrintStream systemErr;

	@org.junit.jupiter.api.BeforeEach
	void captureStderr() {
		systemErr = System.err;
		System.setErr(err);
	}

	@org.junit.jupiter.api.AfterEach
	void restoreStderr() {
		System.setErr(systemErr);
	}

	private String err() {
		return errBytes.toString(StandardCharsets.UTF_8);
	}

	@Test
	void runsByMenuLabelWithConvertedValues() throws Exception {
		final Path out = tmp.resolve("echo.txt");
		final int status = Launcher.run(err, "--headless", "--run", "UNet3+ Test Echo", "output='" + out + "',count=3,name='a, b',mode=slow,flag=true");
		assertEquals(0, status, err());
		assertEquals("3|a, b|slow|true", Files.readString(out));
	}

	@Test
	void runsByClassNameAndOmittedKeysTakeTheDeclaredDefaults() throws Exception {
		final Path out = tmp.resolve("echo.txt");
		assertEquals(0, Launcher.run(err, "--headless", "--run", EchoTestCommand.class.getName(), "output='" + out + "',count=5"));
		assertEquals(0, Launcher.run(err, "--headless", "--run", "EchoTestCommand", "output='" + out + "'"));
		assertEquals("7|default|fast|false", Files.readString(out), "a value from an earlier run must not leak into the next");
	}

	@Test
	void userErrorExitsNonZeroWithTheMessageAndNoStackTrace() {
		final int status = Launcher.run(err, "--headless", "--run", "UNet3+ Test Echo", "output='/x/y',fail=true");
		assertEquals(1, status);
		assertTrue(err().contains("Echo was asked to fail: /x/y"), err());
		assertFalse(err().contains("\tat "), "no stack trace for a user error:\n" + err());
	}

	@Test
	void missingRequiredKeyIsNamed() {
		assertEquals(1, Launcher.run(err, "--headless", "--run", "UNet3+ Test Echo", "count=2"));
		assertTrue(err().contains("needs the key 'output'"), err());
	}

	@Test
	void unknownKeyBadNumberBadChoiceAndUnknownCommandAreNamed() {
		assertEquals(1, Launcher.run(err, "--headless", "--run", "UNet3+ Test Echo", "output='o',colour=red"));
		assertTrue(err().contains("has no key 'colour'"), err());
		assertEquals(1, Launcher.run(err, "--headless", "--run", "UNet3+ Test Echo", "output='o',count=many"));
		assertTrue(err().contains("Key 'count'") && err().contains("whole number"), err());
		assertEquals(1, Launcher.run(err, "--headless", "--run", "UNet3+ Test Echo", "output='o',mode=medium"));
		assertTrue(err().contains("choose one of: fast, slow"), err());
		assertEquals(1, Launcher.run(err, "--headless", "--run", "UNet3+ Nothing", ""));
		assertTrue(err().contains("No command named 'UNet3+ Nothing'"), err());
	}

	@Test
	void malformedCommandLineExitsTwo() {
		assertEquals(2, Launcher.run(err, "--headless", "--bogus"));
		assertEquals(2, Launcher.run(err, "--headless", "--run"));
	}

	@Test
	void macroCallsCommandsThroughImageJsInterpreter() throws Exception {
		final Path out = tmp.resolve("m.txt");
		final Path macro = tmp.resolve("m.ijm");
		Files.writeString(macro, "arg = getArgument();\nrun(\"UNet3+ Test Echo\", \"output=[\" + arg + \"] count=11 name=[x y] flag\");\n");
		assertEquals(0, Launcher.run(err, "--headless", "-macro", macro.toString(), out.toString()), err());
		assertEquals("11|x y|fast|true", Files.readString(out));
	}

	@Test
	void macroStopsAtAFailingCommandWithItsMessage() throws Exception {
		final Path macro = tmp.resolve("f.ijm");
		final Path after = tmp.resolve("after.txt");
		Files.writeString(macro, "run(\"UNet3+ Test Echo\", \"output=/nowhere fail\");\nrun(\"UNet3+ Test Echo\", \"output=[" + after + "]\");\n");
		assertEquals(1, Launcher.run(err, "--headless", "-macro", macro.toString()));
		assertTrue(err().contains("Echo was asked to fail"), err());
		assertFalse(Files.exists(after), "the macro must stop at the failing command");
	}

	@Test
	void macroSyntaxErrorExitsOneWithTheMessageAndExitIsANormalEnd() throws Exception {
		final Path bad = tmp.resolve("bad.ijm"), done = tmp.resolve("done.ijm");
		Files.writeString(bad, "print(\"x\";\n");
		assertEquals(1, Launcher.run(err, "--headless", "-macro", bad.toString()));
		assertTrue(err().contains("bad.ijm stopped: ')' expected"), err());
		assertFalse(err().contains("\tat "), err());
		Files.writeString(done, "exit();\nprint(\"not reached\");\n");
		assertEquals(0, Launcher.run(err, "--headless", "-macro", done.toString()));
	}
}
