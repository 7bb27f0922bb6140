/**
 * Training objectives and the seed's training-time metric: the UNet 3+ hybrid loss (focal +
 * SSIM + IoU) and its alternatives ({@link io.github.unet3p.core.train.LossKind}), the
 * deep-supervision sum over a model's outputs, and the seed's post-processed Dice
 * ({@link io.github.unet3p.core.train.SeedDice}); the trainer, and the one role it steps each batch
 * through, {@link io.github.unet3p.core.train.BatchStep}: on one device, or data-parallel across
 * several (the batch split, gradients summed onto the first device, one set of weights).
 *
 * <p>Losses work on DJL {@code NDArray}s in NCHW layout (batch × classes × height × width) of
 * float32 probabilities (after softmax or sigmoid) against one-hot masks of the same shape, and
 * are differentiable on DJL's PyTorch engine. Depends on DJL, the JDK and {@code core.util};
 * never on SciJava, ImageJ 1.x or AWT.
 */
package io.github.unet3p.core.train;
