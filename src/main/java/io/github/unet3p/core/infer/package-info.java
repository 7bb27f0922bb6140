/**
 * The model-independent part of inference: a CT {@link io.github.unet3p.core.volume.Volume} is
 * cut into batches of model inputs prepared exactly like the training slices (through
 * {@code core.preprocess}), a {@link io.github.unet3p.core.infer.ProbabilityModel} turns them into
 * per-slice class probabilities, and {@link io.github.unet3p.core.infer.VolumeSegmenter} maps
 * those back into a label volume in the input's own voxel grid (undoing the resize and the
 * rotation), with optional 3-D post-processing
 * ({@link io.github.unet3p.core.infer.ConnectedComponents}, {@link io.github.unet3p.core.infer.HoleFilling}).
 *
 * <p>Depends on the JDK, ImgLib2, {@code core.util}, {@code core.volume} and {@code core.preprocess};
 * never on DJL (the model is behind {@code ProbabilityModel}), SciJava, ImageJ 1.x or AWT.
 */
package io.github.unet3p.core.infer;
