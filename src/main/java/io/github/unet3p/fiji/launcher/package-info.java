/**
 * The {@code ./unet3p} launcher: Fiji's command-line syntax ({@code --run}, {@code -macro}) outside
 * Fiji, on a SciJava context, with exit statuses. {@link io.github.unet3p.fiji.launcher.CommandRunner}
 * runs a command by name with textual options and is shared with the macro bridge. Nothing in the core
 * depends on it.
 *
 * <p>Depends on: core.util, fiji.command, fiji.macro, ImageJ, SciJava.
 */
package io.github.unet3p.fiji.launcher;
