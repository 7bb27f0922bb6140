/**
 * Speed benchmarks of the model in the seed's output format: {@link
 * io.github.unet3p.core.bench.ModelBenchmark} times inference (forward passes) or training steps
 * (forward, hybrid loss, backward, Adam) on random input and reports latency and throughput; with
 * {@code engine=onnxruntime}, inference of the network exported to ONNX on ONNX Runtime.
 *
 * <p>Depends on {@code core.model}, {@code core.train}, {@code core.infer} (its settings and, for
 * ONNX Runtime, {@code OrtProbabilityModel}), {@code core.onnx} (the export), {@code core.util}, DJL
 * and the JDK; never on
 * SciJava, ImageJ or AWT. The {@code UNet3+ Benchmark} command is its door.
 */
package io.github.unet3p.core.bench;
