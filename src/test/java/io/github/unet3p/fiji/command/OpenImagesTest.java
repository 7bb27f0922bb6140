package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.process.ByteProcessor;

/**
 * {@link OpenImages#publish} in batch mode: the published image becomes the active image while it
 * is registered, and leaves nothing behind on the publishing thread once it is gone.
 */
class OpenImagesTest {

	@BeforeEach
	void batchMode() {
		System.setProperty("java.awt.headless", "true");
		Interpreter.batchMode = true;
	}

	@AfterEach
	void closeImages() {
		for (final int id : Interpreter.getBatchModeImageIDs())
			Interpreter.removeBatchModeImage(WindowManager.getImage(id));
		Interpreter.batchMode = false;
	}

	@Test
	void aPublishedImageIsActiveUntilItIsClosedAndThenLeavesNothingOnThePublishingThread() throws Exception {
		final ImagePlus ct = new ImagePlus("ct", new ByteProcessor(4, 4));
		Interpreter.addBatchModeImage(ct);
		final ImagePlus labels = new ImagePlus("ct-labels", new ByteProcessor(4, 4));
		// One reused thread stands for the SciJava pool thread commands run on.
		final ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			pool.submit(() -> OpenImages.publish(labels, null)).get();
			assertSame(labels, WindowManager.getCurrentImage(), "the published image is the active one for the caller");
			assertSame(labels, pool.submit(() -> OpenImages.find("")).get(), "and for the next command");
			Interpreter.removeBatchModeImage(labels); // the caller closes it
			assertSame(ct, pool.submit(() -> OpenImages.find("")).get(), "a closed result is no thread's active image any more");
		}
		finally {
			pool.shutdown();
		}
	}
}
