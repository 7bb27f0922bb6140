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
 * <p>Depends on DJL (api + PyTorch engine), {@code core.util} and the JDK only; never on SciJava,
 * ImageJ or AWT. Layout is NCHW throughout. Training loops, losses and commands live elsewhere
 * ({@code core.train}, {@code fiji.*}).
 */
package io.github.unet3p.core.model;
