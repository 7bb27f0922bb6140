package io.github.unet3p.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark door's command line: exit statuses and one message naming the problem, no stack trace. */
class SparkMainTest {

	@TempDir
	Path tmp;

	private record Result(int status, String err) {}

	private static Result run(final String... args) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		final int status;
		try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
			status = SparkMain.run(o, e, args);
		}
		return new Result(status, err.toString(StandardCharsets.UTF_8));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
		"--run|give --run",
		"--bogus|unexpected argument '--bogus'",
		"--master|--master needs a value" })
	void aMalformedCommandLineExits2(final String arg, final String message) {
		final Result r = arg.equals("--run") ? run() : run(arg);
		assertEquals(2, r.status());
		assertTrue(r.err().contains(message), r.err());
	}

	@Test
	void anUnknownCommandExits2() {
		final Result r = run("--run", "UNet3+ Train", "epochs=1");
		assertEquals(2, r.status());
		assertTrue(r.err().contains("no command 'UNet3+ Train' on Spark"), r.err());
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
		"model='m',input='i',output='o',outline=true|has no key 'outline'",
		"model='m',input='i'|needs output=",
		"model='m',input='i',output='o',overwrite=true,skip_existing=true|exclude each other",
		"model='m',input='i',output='o',batch=0|batch must be between 1 and 1024",
		"model='m',input='i',output='o',precision=bf16|precision='bf16' is not supported",
		"model='m',input='i',output='o',engine=tensorflow|engine: unknown value 'tensorflow'; expected one of 'auto', 'pytorch', 'onnxruntime'",
		"model='m',input='i',output='o',tta_flip=maybe|tta_flip must be true or false" })
	void badKeysExit1WithOneMessage(final String keys, final String message) {
		final Result r = run("--master", "local[1]", "--run", "UNet3+ Segment Files", keys);
		assertEquals(1, r.status());
		assertTrue(r.err().startsWith("[ERROR] ") && r.err().contains(message), r.err());
		assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
	}

	@Test
	void aMissingModelStopsTheJobBeforeAnyTask() {
		final Result r = run("--master", "local[1]", "--run", "UNet3+ Segment Files",
				"model='" + tmp.resolve("nope") + "',input='" + SparkFixtures.SAMPLE_TEST + "',output='" + tmp.resolve("out") + "'");
		assertEquals(1, r.status());
		assertTrue(r.err().contains("nope does not exist"), r.err());
	}
}
