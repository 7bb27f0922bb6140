/**
 * Speed benchmarks of the model in the seed's output format: {@link
 * io.github.unet3p.core.bench.ModelBenchmark} times inference (forward passes) or training steps
 * (forward, hybrid loss, backward, Adam) on random input and reports latency and throughput; with
 * {@code engine=onnxruntime}, inference of the network exported to ONNX on ONNX Runtime.
 *
 * The {@code UNet3+ Benchmark} command is its door.
 *
 * <p>Depends on: core.infer, core.model, core.onnx, core.onnx.ir, core.train, core.util, DJL, Gson, ONNX Runtime.
 */
package io.github.unet3p.core.bench;
