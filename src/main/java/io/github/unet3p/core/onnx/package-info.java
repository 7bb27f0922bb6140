/**
 * ONNX export: a trained UNet 3+ ({@code core.model}'s spec and weights) written as a standard
 * ONNX model ({@link io.github.unet3p.core.onnx.OnnxExport}), with the bundle's preparation as
 * ONNX metadata ({@link io.github.unet3p.core.onnx.OnnxMetadata}), and read back and checked
 * against a bundle ({@link io.github.unet3p.core.onnx.OnnxModelFile}). A writer of the model, as
 * {@code core.volume.NiftiWriter} is of volumes.
 *
 * <p>The file is encoded with protobuf-java through messages generated at build time from this
 * project's own schema {@code src/main/proto/unet3p_onnx.proto} (the subset of the ONNX IR it
 * needs, package {@code io.github.unet3p.core.onnx.ir}).
 *
 * It reads the network's blocks and parameters through DJL's public block API, and never uses
 * ONNX Runtime (which {@code core.infer} uses to run the file).
 *
 * <p>Depends on: core.model, core.onnx.ir, core.util, DJL, Gson, Protobuf.
 */
package io.github.unet3p.core.onnx;
