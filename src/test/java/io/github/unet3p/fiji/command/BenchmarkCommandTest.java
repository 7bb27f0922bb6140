package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.unet3p.testsupport.Launch;

/** {@code UNet3+ Benchmark} through the launcher, on a tiny model: the seed's two output lines. */
class BenchmarkCommandTest {

	private static final String TINY = "size=32,filters=2,batch=2,warmup=1,steps=2";

	@ParameterizedTest(name = "{0} {1} {2}")
	@CsvSource({ "inference, unet3plus, unet3plus, 'Latency: ', 'Throughput/FPS: '",
			"training, unet3plus, unet3plus, 'Training latency: ', 'Training throughput/FPS: '",
			"training, unet3plus_deepsup, vgg16, 'Training latency: ', 'Training throughput/FPS: '" })
	void printsTheSeedsLines(final String mode, final String variant, final String backbone, final String latency, final String fps) {
		final Launch.Outcome r = Launch.run("UNet3+ Benchmark", "mode='" + mode + "',variant='" + variant + "',backbone='" + backbone + "'," + TINY);
		assertEquals(0, r.status(), r.err());
		final double ms = number(r.out(), "^" + Pattern.quote(latency) + "([0-9.]+) msec$");
		final double perSecond = number(r.out(), "^" + Pattern.quote(fps) + "([0-9.]+) samples/sec$");
		assertTrue(ms > 0 && perSecond > 0, r.out());
		// throughput = batch · steps / total seconds = batch · 1000 / latency (ms per batch)
		assertEquals(2 * 1000 / ms, perSecond, 0.02 * perSecond, r.out());
	}

	@Test
	void inferenceTimesTheChosenPrecision() {
		final Launch.Outcome r = Launch.run("UNet3+ Benchmark", "mode='inference',backbone='unet3plus',precision='fp32_folded',engine='pytorch'," + TINY);
		assertEquals(0, r.status(), r.err());
		assertTrue((r.out() + r.err()).contains("precision fp32_folded"), r.out() + r.err());
		assertTrue(number(r.out(), "^Throughput/FPS: ([0-9.]+) samples/sec$") > 0, r.out());
		final Launch.Outcome training = Launch.run("UNet3+ Benchmark", "mode='training',precision='fp32_folded'," + TINY);
		assertEquals(1, training.status());
		assertTrue(training.err().contains("precision='fp32_folded' applies to inference only"), training.err());
	}

	@Test
	void inferenceTimesOnnxRuntimeOnRequest() {
		final Launch.Outcome r = Launch.run("UNet3+ Benchmark", "mode='inference',variant='unet3plus_deepsup',backbone='vgg16',engine='onnxruntime'," + TINY);
		assertEquals(0, r.status(), r.err());
		assertTrue((r.out() + r.err()).contains("ONNX Runtime 1.22"), r.out() + r.err());
		assertTrue(number(r.out(), "^Throughput/FPS: ([0-9.]+) samples/sec$") > 0, r.out());
		final Launch.Outcome training = Launch.run("UNet3+ Benchmark", "mode='training',engine='onnxruntime'," + TINY);
		assertEquals(1, training.status());
		assertTrue(training.err().contains("engine='onnxruntime' applies to inference only"), training.err());
	}

	@Test
	void badSettingsAreNamed() {
		final Launch.Outcome r = Launch.run("UNet3+ Benchmark", "mode='training',size=32,filters=2,steps=0");
		assertEquals(1, r.status());
		assertTrue(r.err().contains("steps must be"), r.err());
		assertFalse(r.err().contains("\tat "), r.err());
		final Launch.Outcome m = Launch.run("UNet3+ Benchmark", "model='/nonexistent/model',size=32,filters=2,warmup=0,steps=1");
		assertEquals(1, m.status());
		assertTrue(m.err().contains("/nonexistent/model"), m.err());
		final Launch.Outcome big = Launch.run("UNet3+ Benchmark", "size=2048,batch=4096,filters=2");
		assertEquals(1, big.status());
		assertTrue(big.err().contains("lower batch or size"), big.err());
	}

	private static double number(final String text, final String regex) {
		final Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
		assertTrue(m.find(), "no line matching " + regex + " in:\n" + text);
		return Double.parseDouble(m.group(1));
	}
}
