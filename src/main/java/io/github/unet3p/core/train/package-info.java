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
 * are differentiable on DJL's PyTorch engine. 
 *
 * <p>Depends on: core.model, core.preprocess, core.util, core.volume, core.volume.png, DJL, Gson.
 *
 * <p>NB (memory that autograd keeps, issue 11): on the CPU, DJL's {@code manager.create(<Java
 * data>)} and every {@code NDArray} operation that takes a {@code Number} ({@code x.mul(2)}) make
 * a tensor over a JVM direct buffer without copying, and DJL closes the scalar right after the
 * operation. Autograd may keep such a tensor for the backward pass ({@code x·c} saves {@code c}),
 * but once its Java wrapper is closed nothing keeps the buffer: a garbage collection between
 * forward and backward frees it, and backward reads whatever the JVM wrote there next. Seeded
 * trainings then differed from process to process (11 of 26 in one test, a few discrete wrong
 * values, sometimes NaN). So every constant and every batch here is PyTorch-owned: numbers go
 * through {@link io.github.unet3p.core.model.Scalars}, Java arrays through {@link
 * io.github.unet3p.core.model.EngineArrays}. {@code EngineOwnedTensorsTest} rejects any other call
 * on the compiled classes of {@code core.model} and {@code core.train};
 * {@code GarbageCollectionGradientTest} forces a collection between forward and backward and
 * compares the gradients bit for bit.
 */
package io.github.unet3p.core.train;
