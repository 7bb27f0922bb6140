/**
 * bioimage.io model packages: a trained bundle written as a package of the BioImage Model Zoo's
 * model description format 0.5 ({@link io.github.unet3p.core.bioimageio.BioImageIoExport}), which
 * deepImageJ, JDLL and bioimageio.core run from its ONNX weights, and which UNet3+ Segment reads back
 * through the bundle it carries. The description is written with a small YAML emitter of our own
 * ({@link io.github.unet3p.core.bioimageio.YamlText}), test tensors as NumPy {@code .npy} files
 * ({@link io.github.unet3p.core.bioimageio.NpyFile}).
 *
 * <p>ONNX Runtime (through core.infer) computes the test output; core.train lends its key names.
 *
 * <p>Depends on: core.model, core.onnx, core.infer, core.preprocess, core.synth, core.train,
 * core.volume, core.volume.png, core.util, Gson.
 */
package io.github.unet3p.core.bioimageio;
