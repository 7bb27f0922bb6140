/**
 * What many tests share, one helper a kind: {@link io.github.unet3p.testsupport.Launch} runs the
 * launcher as a user does and checks refusals; the fixture makers build small volumes and NIfTI
 * cases, prepared slice datasets and model bundles.
 */
package io.github.unet3p.testsupport;
