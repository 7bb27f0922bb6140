package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scijava.plugin.Parameter;

import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.InferenceKeys;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.testsupport.TinyBundles;
import io.github.unet3p.core.synth.RandSyntheticCt;
import io.github.unet3p.core.synth.SyntheticCtSettings;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.nifti.NiftiReader;
import io.github.unet3p.core.volume.nifti.NiftiWriter;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.testsupport.Launch;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/** The {@code precision} key: declared alike on every inference command, parsed by name, applied end to end. */
class InferenceOptionsTest {

	@TempDir
	Path tmp;

	@ParameterizedTest
	@ValueSource(classes = { SegmentCommand.class, SegmentFilesCommand.class, EvaluateCommand.class, BenchmarkCommand.class })
	void everyInferenceCommandOffersThePrecisionsDefaultingToFp32(final Class<?> command) throws Exception {
		final Field field = command.getDeclaredField(InferenceKeys.PRECISION);
		final Parameter p = field.getAnnotation(Parameter.class);
		assertFalse(p.required(), "precision is optional");
		assertArrayEquals(Arrays.stream(Precision.values()).map(Precision::key).toArray(), p.choices(), "choices of " + command.getSimpleName());
		field.setAccessible(true);
		assertEquals(Precision.FP32.key(), field.get(command.getDeclaredConstructor().newInstance()));
	}

	@ParameterizedTest
	@ValueSource(classes = { SegmentCommand.class, SegmentFilesCommand.class, EvaluateCommand.class, BenchmarkCommand.class })
	void everyInferenceCommandOffersTheEnginesDefaultingToAuto(final Class<?> command) throws Exception {
		final Field field = command.getDeclaredField(InferenceKeys.ENGINE);
		final Parameter p = field.getAnnotation(Parameter.class);
		assertFalse(p.required(), "engine is optional");
		assertArrayEquals(InferenceEngine.keys(), p.choices(), "choices of " + command.getSimpleName());
		field.setAccessible(true);
		assertEquals(InferenceEngine.DEFAULT.key(), field.get(command.getDeclaredConstructor().newInstance()));
		assertEquals(InferenceEngine.AUTO, InferenceEngine.DEFAULT);
	}

	@Test
	void valuesAreParsedByNameAndEmptyIsTheDefault() {
		assertEquals(InferenceEngine.ONNXRUNTIME, InferenceOptions.settings(4, false, false, false, false, "", "onnxruntime").engine());
		assertEquals(InferenceEngine.AUTO, InferenceOptions.settings(4, false, false, false, false, "", "").engine());
		assertEquals(InferenceEngine.PYTORCH, InferenceOptions.settings(4, false, false, false, false, "", "pytorch").engine());
		assertEquals(Precision.FP32, InferenceOptions.precision(""));
		assertEquals(Precision.FP32, InferenceOptions.precision(null));
		assertEquals(Precision.FP32_FOLDED, InferenceOptions.settings(4, false, false, false, false, "fp32_folded", "").precision());
		assertEquals(Precision.FP16, InferenceOptions.precision("fp16"));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> InferenceOptions.precision("fp64"));
		assertTrue(e.getMessage().startsWith("precision: unknown value 'fp64'"), e.getMessage());
		final InvalidInputException bf16 = assertThrows(InvalidInputException.class, () -> InferenceOptions.precision("bf16"));
		assertTrue(bf16.getMessage().startsWith("precision='bf16' is not supported"), bf16.getMessage());
	}

	@Test
	void segmentFilesLabelsTheSameVoxelsFoldedAndExact() throws IOException {
		final Path model = TinyBundles.write(tmp.resolve("model"), 2, 32, 1);
		final SyntheticCtSettings s = SyntheticCtSettings.builder().setCount(1).setSeed(5).optSize(48).optSlices(6).optSpacing(3, 5).build();
		final Path ct = tmp.resolve("ct.nii.gz");
		NiftiWriter.write(ct, RandSyntheticCt.generate(s, 0).ct());
		final long[][] labels = new long[2][];
		final String[] precisions = { "fp32", "fp32_folded" };
		for (int i = 0; i < 2; i++) {
			final Path out = tmp.resolve(precisions[i] + ".nii.gz");
			final Launch.Outcome r = Launch.run("UNet3+ Segment Files",
					"model='" + model + "',input='" + ct + "',output='" + out + "',precision='" + precisions[i] + "',engine='pytorch'");
			assertEquals(0, r.status(), r.err());
			assertTrue(r.out().contains("precision=" + precisions[i]) || r.err().contains("precision=" + precisions[i]), r.out() + r.err());
			labels[i] = voxels(NiftiReader.read(out).volume());
		}
		long differ = 0;
		for (int i = 0; i < labels[0].length; i++)
			if (labels[0][i] != labels[1][i]) differ++;
		assertTrue(differ <= labels[0].length / 1000, differ + " of " + labels[0].length + " voxels differ");
	}

	@Test
	void anUnknownPrecisionIsRefusedByName() {
		final Launch.Outcome r = Launch.run("UNet3+ Benchmark", "size=32,filters=2,batch=1,warmup=0,steps=1,precision='bf16'");
		assertEquals(1, r.status());
		assertTrue(r.err().contains("Key 'precision' of 'UNet3+ Benchmark' cannot be 'bf16'; choose one of: fp32, fp32_folded, fp16."), r.err());
		assertFalse(r.err().contains("\tat "), r.err());
	}

	private static long[] voxels(final Volume v) {
		final long[] out = new long[v.size(0) * v.size(1) * v.size(2)];
		int i = 0;
		for (final RealType<?> t : Views.flatIterable(v.raw()))
			out[i++] = (long) t.getRealDouble();
		return out;
	}
}
