/**
 * The model-independent part of inference: a CT {@link io.github.unet3p.core.volume.Volume} is
 * cut into batches of model inputs prepared exactly like the training slices (through
 * {@code core.preprocess}), a {@link io.github.unet3p.core.infer.ProbabilityModel} turns them into
 * per-slice class probabilities, and {@link io.github.unet3p.core.infer.VolumeSegmenter} maps
 * those back into a label volume in the input's own voxel grid (undoing the resize and the
 * rotation), with optional 3-D post-processing
 * ({@link io.github.unet3p.core.infer.ConnectedComponents}, {@link io.github.unet3p.core.infer.HoleFilling}).
 *
 * {@link io.github.unet3p.core.infer.FolderSegmentation} segments volume files one at a time and
 * writes their label files (and probability maps) atomically, named by
 * {@link io.github.unet3p.core.infer.SegmentTargets}: the batch behaviour of every door (Fiji's
 * {@code UNet3+ Segment Files}, the Spark module).
 *
 * {@link io.github.unet3p.core.infer.ProbabilityModels} opens a trained model bundle as a
 * {@link io.github.unet3p.core.infer.BundleModel} on the {@link io.github.unet3p.core.infer.InferenceEngine}
 * asked for: {@link io.github.unet3p.core.infer.TorchProbabilityModel} (DJL's PyTorch) or
 * {@link io.github.unet3p.core.infer.OrtProbabilityModel} (ONNX Runtime on the bundle's exported
 * {@code model.onnx}); {@link io.github.unet3p.core.infer.SliceDiceEvaluator} runs one over
 * prepared slices and reports the seed's Dice.
 *
 * Only the runtime classes touch a runtime: {@code TorchProbabilityModel} DJL and {@code core.model},
 * {@code OrtProbabilityModel} ONNX Runtime and {@code core.onnx} (everything else sees the network
 * through {@code ProbabilityModel}, so tests use plain Java fakes), and only
 * {@code SliceDiceEvaluator} uses {@code core.train} (the prepared-slice reader and the seed Dice).
 * Never SciJava, ImageJ 1.x or AWT.
 *
 * <p>Depends on: core.model, core.onnx, core.preprocess, core.train, core.util, core.volume, core.volume.io, core.volume.nifti, DJL, Gson, ImgLib2, ONNX Runtime.
 */
package io.github.unet3p.core.infer;
