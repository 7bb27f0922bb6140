/**
 * What many tests share, one helper a kind: {@link io.github.unet3p.testsupport.Launch} runs the
 * launcher in the test JVM as a user does and checks refusals;
 * {@link io.github.unet3p.testsupport.TinyVolumes} makes small CT volumes and LiTS NIfTI cases,
 * {@link io.github.unet3p.testsupport.TinySlices} prepared slice datasets,
 * {@link io.github.unet3p.testsupport.TinyDicom} DICOM slices and series, and
 * {@link io.github.unet3p.testsupport.TinyBundles} model bundles of seeded, untrained networks.
 * May use everything in {@code io.github.unet3p}.
 */
package io.github.unet3p.testsupport;
