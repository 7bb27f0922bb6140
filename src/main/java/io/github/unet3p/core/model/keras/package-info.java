/**
 * Import of the reference recipe's Keras weight files: {@link io.github.unet3p.core.model.keras.KerasWeightsFile}
 * reads the layers of a Keras HDF5 file in any of the four layouts a recipe user can have (Keras 2
 * HDF5 weights, Keras 3 {@code .weights.h5}, the Keras 3 legacy HDF5 layout, whole-model
 * {@code .h5}); {@link io.github.unet3p.core.model.keras.KerasImport} matches them by role and
 * creation order to a {@code core.model} network and writes a model bundle.
 *
 * <p>NB: a weights file is data. Only datasets are read; a whole-model file's {@code model_config}
 * (and any optimizer state) is never looked at, let alone run.
 *
 * <p>Depends on: core.model, core.util, DJL, Gson, jHDF.
 */
package io.github.unet3p.core.model.keras;
