/**
 * The LiTS challenge evaluation: binary masks taken from label volumes ({@link
 * io.github.unet3p.core.metrics.LabelRule}), object surfaces by 18-neighbourhood erosion, exact
 * surface distances in millimetres, the per-case record ({@link io.github.unet3p.core.metrics.CaseMetrics}:
 * Dice, VOE, RVD, ASSD, MSSD, HD95), the pooled global figures and the CSV report.
 *
 * <p>Depends on: core.util, core.volume, ImgLib2.
 */
package io.github.unet3p.core.metrics;
