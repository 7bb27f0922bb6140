package io.github.unet3p.core.train;

/**
 * The best validation Dice of a run so far, its epoch, and early stopping: a run stops when
 * {@code patience} epochs have passed without a better Dice.
 */
final class BestModel {

	private int epoch = -1;
	private double dice = -1;

	/** The best epoch so far (0-based), or −1 before the first. */
	int epoch() {
		return epoch;
	}

	/** The best validation Dice so far, or −1 before the first epoch. */
	double dice() {
		return dice;
	}

	/** Restores a resumed run's best epoch and Dice. */
	void restore(final int bestEpoch, final double bestDice) {
		epoch = bestEpoch;
		dice = bestDice;
	}

	/** Records epoch {@code e}'s Dice; true when it is better than every earlier one. */
	boolean offer(final int e, final double d) {
		if (!(d > dice)) return false;
		epoch = e;
		dice = d;
		return true;
	}

	/** Whether epoch {@code e} comes more than {@code patience} epochs after the best one. */
	boolean patienceRunOut(final int e, final int patience) {
		return epoch >= 0 && e - epoch > patience;
	}
}
