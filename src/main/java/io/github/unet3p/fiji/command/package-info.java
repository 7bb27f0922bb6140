/**
 * The SciJava commands under Plugins › Segmentation › UNet3+: each resolves its inputs, calls the
 * core and publishes the results (files, images, tables). Every command extends
 * {@link io.github.unet3p.fiji.command.UNet3pCommand}, which turns user errors into one message
 * and records failures for the launcher. A field name is the key in dialogs, macros and
 * {@code --run}. May depend on everything in {@code core}, SciJava, ImageJ 1.x and {@code fiji.io}.
 */
package io.github.unet3p.fiji.command;
