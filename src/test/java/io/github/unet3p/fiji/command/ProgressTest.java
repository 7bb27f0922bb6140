package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The remaining-time estimate shown on the status bar and the console line. */
class ProgressTest {

	private static final long S = 1_000_000_000L;

	@Test
	void extrapolatesTheRateOfTheCurrentRun() {
		final Progress.Eta eta = new Progress.Eta();
		assertEquals("", eta.remaining(0, 10, 0), "nothing done yet: no estimate");
		assertEquals("0m40s", eta.remaining(2, 10, 10 * S), "2 of 10 in 10 s: 8 more take 40 s");
		assertEquals("", eta.remaining(10, 10, 50 * S), "finished: no estimate");
	}

	@Test
	void theNextEpochStartsItsOwnEstimate() {
		final Progress.Eta eta = new Progress.Eta();
		eta.remaining(0, 4, 0);
		eta.remaining(4, 4, 400 * S);
		// The next epoch starts (done drops to 1): its rate alone counts, not the 400 s before.
		assertEquals("", eta.remaining(1, 4, 401 * S), "the run started with this report");
		assertEquals("0m02s", eta.remaining(2, 4, 402 * S), "1 batch/s measured from the run's first report, 2 to go");
	}

	@Test
	void formatsHoursAboveAnHour() {
		assertEquals("1h01m", Progress.Eta.time(3660));
		assertEquals("59m59s", Progress.Eta.time(3599));
	}

	@org.junit.jupiter.api.Test
	void escapeCancelsAtTheNextProgressReport() {
		final io.github.unet3p.core.util.Cancellation cancel = new io.github.unet3p.core.util.Cancellation();
		final java.util.List<String> messages = new java.util.ArrayList<>();
		final io.github.unet3p.core.util.ProgressListener inner = new io.github.unet3p.core.util.ProgressListener() {
			@Override
			public void progress(final String task, final long done, final long total) {}

			@Override
			public void message(final String text) {
				messages.add(text);
			}
		};
		final io.github.unet3p.core.util.ProgressListener p = Progress.cancelOnEscape(inner, cancel);
		p.progress("Epoch 1/2", 1, 10);
		org.junit.jupiter.api.Assertions.assertFalse(cancel.isCancelled());
		ij.IJ.setKeyDown(java.awt.event.KeyEvent.VK_ESCAPE);
		try {
			p.progress("Epoch 1/2", 2, 10);
		}
		finally {
			ij.IJ.resetEscape();
		}
		org.junit.jupiter.api.Assertions.assertTrue(cancel.isCancelled());
		org.junit.jupiter.api.Assertions.assertTrue(messages.get(0).contains("Esc pressed"), messages.toString());
	}
}
