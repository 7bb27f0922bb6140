/**
 * A seeded synthetic abdominal CT generator: LiTS-like int16 HU volumes with liver and tumour
 * labels, for demos, tests and benchmarks without patient data. {@link
 * io.github.unet3p.core.synth.RandSyntheticCt} makes one case, {@link
 * io.github.unet3p.core.synth.SyntheticDataset} writes a LiTS-layout folder of them. Depends on
 * ImgLib2, the JDK, {@code core.util} and {@code core.volume}; never on SciJava, ImageJ 1.x or AWT.
 */
package io.github.unet3p.core.synth;
