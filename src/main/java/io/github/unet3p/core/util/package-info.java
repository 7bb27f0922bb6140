/**
 * Small shared pieces of the core: user errors ({@link io.github.unet3p.core.util.InvalidInputException}),
 * progress and cancellation, atomic file writes, folder locks. Every other package
 * may use it.
 *
 * <p>Depends on: the JDK only.
 */
package io.github.unet3p.core.util;
