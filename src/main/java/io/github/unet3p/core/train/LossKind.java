package io.github.unet3p.core.train;

import io.github.unet3p.core.util.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The losses a user can train with, by the value of the {@code loss} key. {@link #HYBRID} (the
 * seed's focal + SSIM + IoU) is the default.
 */
public enum LossKind {

	/** {@code hybrid}: focal + SSIM + IoU, the seed's loss. */
	HYBRID("hybrid", HybridLoss::new),
	/** {@code hybrid_msssim}: focal + MS-SSIM + IoU, the paper's loss (images ≥ 161 × 161). */
	HYBRID_MSSSIM("hybrid_msssim", () -> new HybridLoss(true)),
	/** {@code focal}: the seed's focal term alone. */
	FOCAL("focal", FocalLoss::new),
	/** {@code ssim}: the seed's SSIM term alone. */
	SSIM("ssim", SsimLoss::new),
	/** {@code iou}: the seed's IoU term alone. */
	IOU("iou", IouLoss::new),
	/** {@code dice}: soft Dice. */
	DICE("dice", DiceLoss::new),
	/** {@code cross_entropy}: categorical (C ≥ 2) or binary (C = 1) cross-entropy. */
	CROSS_ENTROPY("cross_entropy", CrossEntropyLoss::new);

	/** The key under which commands and model bundles store the loss. */
	public static final String KEY = "loss";

	/** The default loss, the seed's. */
	public static final LossKind DEFAULT = HYBRID;

	private final String key;
	private final Supplier<SegmentationLoss> factory;

	LossKind(final String key, final Supplier<SegmentationLoss> factory) {
		this.key = key;
		this.factory = factory;
	}

	/** The value of the {@code loss} key that selects this loss. */
	public String key() {
		return key;
	}

	/** A new instance of this loss. */
	public SegmentationLoss create() {
		return factory.get();
	}

	/** All allowed values of the {@code loss} key, default first. */
	public static List<String> keys() {
		final List<String> keys = new ArrayList<>();
		for (final LossKind kind : values())
			keys.add(kind.key);
		return Collections.unmodifiableList(keys);
	}

	/**
	 * The loss selected by {@code value} (surrounding blanks and letter case ignored).
	 *
	 * @throws InvalidInputException if {@code value} names no loss; the message names the key
	 *         {@code loss} and the allowed values
	 */
	public static LossKind fromKey(final String value) {
		final String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
		for (final LossKind kind : values())
			if (kind.key.equals(wanted)) return kind;
		throw new InvalidInputException("Unknown value '" + value + "' for key '" + KEY + "': expected one of "
			+ String.join(", ", keys()) + ".");
	}
}
