package io.github.unet3p.fiji.command;

import io.github.unet3p.testsupport.Launch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.testsupport.TinyBundles;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.onnx.OnnxExport;
import io.github.unet3p.core.onnx.OnnxMetadata;
import io.github.unet3p.core.onnx.OnnxModelFile;

/** {@code UNet3+ Export} through the launcher with its macro keys. */
class ExportCommandTest {

	private static final String COMMAND = "UNet3+ Export";

	@TempDir
	Path tmp;

	private Path bundle() throws IOException {
		return TinyBundles.write(tmp.resolve("model"),
				ModelSpec.builder().optVariant("unet3plus_deepsup").optBackbone("vgg16").optFilters(2).optClasses(2).optSize(32).build(), -150, 300, 9);
	}

	@Test
	void writesTheModelWithItsPreparationAsMetadata() throws IOException {
		final Path model = bundle();
		final Path out = tmp.resolve("exports/liver.onnx");
		final Launch.Outcome r = Launch.run(COMMAND, "model='" + model + "',output='" + out + "'");
		assertEquals(0, r.status(), r.err());
		final OnnxModelFile file = OnnxModelFile.read(out);
		final Map<String, String> meta = file.metadata();
		assertEquals(OnnxMetadata.FORMAT_NAME, meta.get(OnnxMetadata.FORMAT));
		assertEquals("unet3plus_deepsup", meta.get("unet3p.variant"));
		assertEquals("vgg16", meta.get("unet3p.backbone"));
		assertEquals("-150.0", meta.get("unet3p.hu_min"));
		assertEquals("300.0", meta.get("unet3p.hu_max"));
		assertEquals("rot90", meta.get("unet3p.orientation"));
		assertEquals("nonzero->1", meta.get("unet3p.labels"));
		assertEquals(OnnxMetadata.sha256(model.resolve("weights.params")), meta.get(OnnxMetadata.WEIGHTS_SHA256));
		assertEquals(OnnxExport.OPSET, file.model().getOpsetImport(0).getVersion());
		assertEquals("N", file.model().getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam(), "dynamic batch");
		assertFalse(Files.exists(model.resolve(OnnxExport.FILE)), "an explicit output leaves the bundle alone");
	}

	@Test
	void anEmptyOutputWritesIntoTheBundleAndAnExistingFileNeedsOverwrite() throws IOException {
		final Path model = bundle();
		assertEquals(0, Launch.run(COMMAND, "model='" + model + "'").status());
		final Path onnx = model.resolve(OnnxExport.FILE);
		assertTrue(Files.isRegularFile(onnx));
		Files.writeString(onnx, "keep me");
		final Launch.Outcome refused = Launch.run(COMMAND, "model='" + model + "'");
		assertEquals(1, refused.status());
		assertTrue(refused.err().contains(onnx.toString()) && refused.err().contains("overwrite=true"), refused.err());
		assertEquals("keep me", Files.readString(onnx));
		assertEquals(0, Launch.run(COMMAND, "model='" + model + "',overwrite=true").status());
		OnnxModelFile.read(onnx);
	}

	@Test
	void theBundlesOwnExportCacheIsRefreshedWithoutOverwrite() throws IOException {
		final Path model = bundle();
		assertEquals(0, Launch.run(COMMAND, "model='" + model + "'").status());
		final Path onnx = model.resolve(OnnxExport.FILE);
		final byte[] first = Files.readAllBytes(onnx);
		// NB: what engine=auto leaves in a bundle that has segmented; Export writes it again.
		assertEquals(0, Launch.run(COMMAND, "model='" + model + "'").status());
		assertArrayEquals(first, Files.readAllBytes(onnx));
		final Path elsewhere = tmp.resolve("exports/liver.onnx");
		assertEquals(0, Launch.run(COMMAND, "model='" + model + "',output='" + elsewhere + "'").status());
		assertEquals(1, Launch.run(COMMAND, "model='" + model + "',output='" + elsewhere + "'").status(), "an explicit output still needs overwrite");
	}

	@Test
	void aBrokenBundleWritesNothing() throws IOException {
		final Path model = bundle();
		Files.delete(model.resolve("weights.params"));
		final Path out = tmp.resolve("liver.onnx");
		final Launch.Outcome r = Launch.run(COMMAND, "model='" + model + "',output='" + out + "'");
		assertEquals(1, r.status());
		assertTrue(r.err().contains("weights.params"), r.err());
		assertFalse(r.err().contains("\tat "), r.err());
		assertFalse(Files.exists(out));
	}
}
