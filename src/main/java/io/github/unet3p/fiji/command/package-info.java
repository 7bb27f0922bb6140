/**
 * The SciJava commands under Plugins › Segmentation › UNet3+: each resolves its inputs, calls the
 * core and publishes the results (files, images, tables). Every command extends
 * {@link io.github.unet3p.fiji.command.UNet3pCommand}, which turns user errors into one message
 * and signals failures (the launcher, the status file, a running macro). A field name is the key in dialogs, macros and
 * {@code --run}. 
 *
 * <p>Depends on: core.bench, core.bioimageio, core.infer, core.metrics, core.model, core.model.keras, core.onnx, core.preprocess, core.synth,
 * core.train, core.util, core.volume, core.volume.io, core.volume.nifti, core.volume.png, fiji.io, AWT, DJL, ImageIO, ImageJ, ImgLib2, SciJava.
 */
package io.github.unet3p.fiji.command;
