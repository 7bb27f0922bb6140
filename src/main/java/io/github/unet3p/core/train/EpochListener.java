package io.github.unet3p.core.train;

/**
 * Told about every finished training epoch, e.g. to draw a live loss/Dice plot. Called on the
 * training thread after the epoch's row is logged and its checkpoint written.
 */
@FunctionalInterface
public interface EpochListener {

	/** Ignores every epoch. */
	EpochListener NONE = (row, best) -> {};

	/**
	 * An epoch ended.
	 *
	 * @param row the epoch's figures
	 * @param best whether its validation Dice is the best so far (the bundle's weights now are this epoch's)
	 */
	void epochEnded(TrainingLog.Row row, boolean best);
}
