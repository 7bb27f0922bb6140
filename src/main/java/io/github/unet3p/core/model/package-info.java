/**
 * The UNet 3+ network on DJL's PyTorch engine: the architecture spec ({@link
 * io.github.unet3p.core.model.ModelSpec}, {@link io.github.unet3p.core.model.Variant}, {@link
 * io.github.unet3p.core.model.Backbone}), the network itself ({@link
 * io.github.unet3p.core.model.UNet3Plus} builds a {@link io.github.unet3p.core.model.UNet3PlusNet}
 * wrapping a DJL block that follows the seed's Keras models exactly), seeded Keras
 * initialisation, Keras-style parameter counts ({@link io.github.unet3p.core.model.ModelSummary}),
 * weights files ({@link io.github.unet3p.core.model.ModelWeights}) and the offline engine door
 * ({@link io.github.unet3p.core.model.TorchEngine}), with the one place that decides which PyTorch
 * build it loads ({@link io.github.unet3p.core.model.TorchBuild}: bundled CPU, DJL's CUDA build
 * fetched by {@link io.github.unet3p.core.model.TorchDownload}, or a libtorch folder).
 *
 * <p>Depends on: core.util, DJL, Gson. Layout is NCHW throughout. Training loops, losses and commands live elsewhere
 * ({@code core.train}, {@code fiji.*}).
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
package io.github.unet3p.core.model;
