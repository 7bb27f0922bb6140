package io.github.unet3p.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code src/bench/gpu_check.sh} in CI, which has no GPU: its syntax ({@code bash -n}), and its CPU
 * fallback — "no GPU" and exit 0, within seconds, without starting Java — when there is no
 * {@code nvidia-smi}, when it fails (driver without a GPU) and when it lists nothing.
 */
class GpuCheckScriptTest {

	private static final Path SCRIPT = Path.of("src/bench/gpu_check.sh").toAbsolutePath();

	@TempDir
	Path tmp;

	@Test
	void isValidBash() throws IOException, InterruptedException {
		final Result r = run(new ProcessBuilder("bash", "-n", SCRIPT.toString()));
		assertEquals(0, r.status, r.output);
		assertTrue(Files.isExecutable(SCRIPT), "the script is executable");
	}

	@ParameterizedTest(name = "nvidia-smi: {0}")
	@ValueSource(strings = { "missing", "fails", "lists nothing" })
	void saysNoGpuAndExitsZeroOnACpuOnlyMachine(final String smi) throws IOException, InterruptedException {
		final String path = switch (smi) {
			case "missing" -> tmp.resolve("no-such-nvidia-smi").toString();
			case "fails" -> fake("echo 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.' >&2; exit 9");
			default -> fake("exit 0");
		};
		final ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), tmp.resolve("out").toString());
		pb.environment().put("NVIDIA_SMI", path);
		final long t0 = System.nanoTime();
		final Result r = run(pb);
		assertEquals(0, r.status, r.output);
		assertTrue(r.output.startsWith("no GPU: "), r.output);
		assertEquals(1, r.output.lines().count(), "one line: " + r.output);
		assertTrue((System.nanoTime() - t0) / 1e9 < 30, "the fallback is immediate");
	}

	private String fake(final String body) throws IOException {
		final Path p = tmp.resolve("nvidia-smi");
		Files.writeString(p, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
		Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
		return p.toString();
	}

	private record Result(int status, String output) {}

	private static Result run(final ProcessBuilder pb) throws IOException, InterruptedException {
		final Process p = pb.redirectErrorStream(true).start();
		final boolean ended = p.waitFor(60, TimeUnit.SECONDS);
		final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!ended) p.destroyForcibly();
		assertTrue(ended, "the script did not end within 60 s:\n" + out);
		return new Result(p.exitValue(), out);
	}
}
