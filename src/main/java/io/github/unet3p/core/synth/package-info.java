/**
 * A seeded synthetic abdominal CT generator: LiTS-like int16 HU volumes with liver and tumour
 * labels, for demos, tests and benchmarks without patient data. {@link
 * io.github.unet3p.core.synth.RandSyntheticCt} makes one case, {@link
 * io.github.unet3p.core.synth.SyntheticDataset} writes a LiTS-layout folder of them. 
 *
 * <p>Depends on: core.util, core.volume, core.volume.nifti, ImgLib2.
 */
package io.github.unet3p.core.synth;
