/**
 * The bridge that lets ImageJ 1.x macros {@code run("UNet3+ ...", "key=value ...")} outside Fiji,
 * as imagej-legacy does inside Fiji. Used by the launcher only.
 *
 * <p>Depends on: core.util, fiji.command, fiji.launcher, ImageJ, SciJava.
 */
package io.github.unet3p.fiji.macro;
