/**
 * The subset of the ONNX IR that the export writes, as Java classes that protoc generates at build
 * time from the project's own schema {@code src/main/proto/unet3p_onnx.proto} (field numbers from the
 * ONNX IR specification).
 *
 * <p>Depends on: Protobuf.
 */
package io.github.unet3p.core.onnx.ir;
