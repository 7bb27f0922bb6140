package io.github.unet3p.reliability;

import static io.github.unet3p.testsupport.Launch.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.volume.nifti.NiftiWriter;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import io.github.unet3p.testsupport.Launch;
import io.github.unet3p.testsupport.TinySlices;
import io.github.unet3p.testsupport.TinyVolumes;
import net.imglib2.img.array.ArrayImgs;

/**
 * Outputs that cannot be written, or that already hold results: refused with one message naming
 * the path, no stack trace, no temporary file, earlier results untouched.
 *
 * <p>NB: an unwritable folder is made as a path under a regular file ({@code file.txt/sub}), since
 * tests may run as root, whom {@code chmod} does not stop.
 */
class FileSystemFailuresTest {

	@TempDir
	Path tmp;

	@Test
	void preprocessIntoAPathUnderAFileIsRefused() throws IOException {
		final Path in = tmp.resolve("in");
		TinyVolumes.litsCase(in, 0);
		final Path blocker = Files.writeString(tmp.resolve("file.txt"), "not a folder");
		Launch.run("UNet3+ Preprocess", "input=" + q(in) + ",output=" + q(blocker.resolve("sub")) + ",size=16").refused("file.txt");
		assertEquals("not a folder", Files.readString(blocker));
	}

	@Test
	void trainIntoAPathUnderAFileIsRefused() throws IOException {
		final Path data = TinySlices.squares(tmp.resolve("data"), 2, 32);
		final Path blocker = Files.writeString(tmp.resolve("file.txt"), "not a folder");
		Launch.run("UNet3+ Train", "train=" + q(data) + ",validation=" + q(data) + ",model=" + q(blocker.resolve("model"))
				+ ",backbone=unet3plus,filters=2,epochs=1").refused("file.txt");
		assertEquals("not a folder", Files.readString(blocker));
	}

	@Test
	void trainRefusesAModelFolderThatAlreadyHoldsAModelAndLeavesItAsItWas() throws IOException {
		final Path data = TinySlices.squares(tmp.resolve("data"), 2, 32), model = tmp.resolve("model");
		final String options = "train=" + q(data) + ",validation=" + q(data) + ",model=" + q(model) + ",backbone=unet3plus,filters=2,epochs=1,batch=2";
		Launch.run("UNet3+ Train", options).ok();
		assertTrue(Files.isRegularFile(model.resolve(ModelBundle.WEIGHTS_FILE)));
		final Map<String, String> before = Launch.snapshot(model);
		Launch.run("UNet3+ Train", options).refused(model.toString(), "already holds a model", "resume=true");
		assertEquals(before, Launch.snapshot(model), "the earlier model is untouched");
	}

	@Test
	void preprocessRefusesAnOutputFolderHoldingSlicesUnlessOverwriteIsSet() throws IOException {
		final Path in = tmp.resolve("in"), out = tmp.resolve("out");
		TinyVolumes.litsCase(in, 0);
		Launch.run("UNet3+ Preprocess", "input=" + q(in) + ",output=" + q(out) + ",size=16").ok();
		final Map<String, String> before = Launch.snapshot(out);
		Launch.run("UNet3+ Preprocess", "input=" + q(in) + ",output=" + q(out) + ",size=32").refused(out.toString(), "already holds", "overwrite=true");
		assertEquals(before, Launch.snapshot(out), "earlier slices untouched");
		// overwrite=true replaces the earlier preparation completely (no 16-pixel slice is left beside the 32-pixel ones)
		Files.writeString(out.resolve("images/image_9_9.png"), "stale slice of another run");
		Launch.run("UNet3+ Preprocess", "input=" + q(in) + ",output=" + q(out) + ",size=32,overwrite=true").ok();
		assertFalse(Files.exists(out.resolve("images/image_9_9.png")));
		assertEquals(TinyVolumes.K, count(out.resolve("images")));
		assertEquals(32, io.github.unet3p.core.volume.png.PngCodec.read(out.resolve("images/image_0_0.png")).width());
	}

	/**
	 * A full disk: a 512 KiB tmpfs, filled up but for a few pages. Needs root and a kernel that lets
	 * this process mount (a CI container usually does not: the test is then skipped).
	 */
	@Test
	void aFullDiskEndsInAMessageAndNoPartialFile() throws Exception {
		final Path mount = Files.createDirectories(tmp.resolve("tiny"));
		assumeTrue(mount(mount), "cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN); the full-disk case is skipped");
		try {
			final Path in = tmp.resolve("in");
			Files.createDirectories(in);
			final short[] noise = new short[64 * 64 * 2];
			final java.util.SplittableRandom r = new java.util.SplittableRandom(5);
			for (int i = 0; i < noise.length; i++)
				noise[i] = (short) r.nextInt(-200, 250);
			NiftiWriter.write(in.resolve("volume-0.nii"), Volume.of(ArrayImgs.shorts(noise, 64, 64, 2), VolumeGeometry.ofSpacing(1, 1, 1)));
			final Path filler = mount.resolve("filler.bin");
			Files.write(filler, new byte[512 * 1024 - 3 * 4096]);
			final Path out = mount.resolve("out");
			Launch.run("UNet3+ Preprocess", "input=" + q(in) + ",output=" + q(out) + ",size=512").refused(out.toString(), "No space left");
			Launch.assertNoPartFiles(mount);
			if (Files.isDirectory(out.resolve("images"))) assertEquals(0, count(out.resolve("images")), "no partial PNG");
		}
		finally {
			new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
		}
	}

	private static boolean mount(final Path dir) throws InterruptedException {
		try {
			final Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", dir.toString()).redirectErrorStream(true).start();
			p.getInputStream().readAllBytes();
			return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
		}
		catch (final IOException e) {
			return false;
		}
	}

	private static long count(final Path folder) throws IOException {
		try (Stream<Path> s = Files.list(folder)) {
			return s.count();
		}
	}
}
