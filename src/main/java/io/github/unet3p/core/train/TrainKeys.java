package io.github.unet3p.core.train;

/**
 * The keys of {@code UNet3+ Train}, as a user types them in a macro and on the command line, and as
 * the checkpoint and the model bundle's training record store them.
 */
public final class TrainKeys {

	/** Training data folder. */
	public static final String TRAIN = "train";
	/** Validation data folder. */
	public static final String VALIDATION = "validation";
	/** Output model folder. */
	public static final String MODEL = "model";
	/** Model variant. */
	public static final String VARIANT = "variant";
	/** Encoder. */
	public static final String BACKBONE = "backbone";
	/** First-stage width. */
	public static final String FILTERS = "filters";
	/** Output classes. */
	public static final String CLASSES = "classes";
	/** Input size (taken from the data when training). */
	public static final String SIZE = "size";
	/** Number of epochs. */
	public static final String EPOCHS = "epochs";
	/** Slices per batch. */
	public static final String BATCH = "batch";
	/** Adam's learning rate. */
	public static final String LEARNING_RATE = "learning_rate";
	/** The loss ({@link LossKind}). */
	public static final String LOSS = LossKind.KEY;
	/** The seed of initialisation, shuffling, augmentation and dropout. */
	public static final String SEED = "seed";
	/** Early-stopping patience in epochs. */
	public static final String PATIENCE = "patience";
	/** Continue from the last checkpoint. */
	public static final String RESUME = "resume";
	/** Augmentation level ({@link Augmentation}). */
	public static final String AUGMENT = "augment";
	/** Keep decoded slices in memory. */
	public static final String CACHE = "cache";
	/** Global gradient-norm clip. */
	public static final String CLIP_NORM = "clip_norm";
	/** Loader threads. */
	public static final String WORKERS = "workers";
	/** Device selection. */
	public static final String DEVICES = "devices";
	/** BatchNorm recalibration batches after every epoch. */
	public static final String BN_RECALIBRATE = "bn_recalibrate";

	/** Bundle to fine-tune from. */
	public static final String INIT = "init";

	private TrainKeys() {}
}
