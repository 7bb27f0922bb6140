/**
 * The seed's data preparation (SPEC 2.1), rule by rule: rotation of axial slices
 * ({@link io.github.unet3p.core.preprocess.Rot90}), OpenCV-exact resizing
 * ({@link io.github.unet3p.core.preprocess.CubicResize}, {@link io.github.unet3p.core.preprocess.NearestResize}),
 * the HU window, per-slice 0…255 scaling, the (k−1, k, k+1) channel stack and the label merge;
 * {@link io.github.unet3p.core.preprocess.SlicePreparer} chains them per slice and
 * {@link io.github.unet3p.core.preprocess.LitsPreparer} turns a LiTS folder into the seed's
 * {@code images/} + {@code mask/} PNG dataset.
 *
 * <p>Array layouts: a <em>stored slice</em> is {@code double[I·J]} indexed {@code i + I·j} as
 * {@link io.github.unet3p.core.volume.Volume#axialSlice} fills it; every other 2-D array here is a
 * <em>row-major image</em> of {@code height} rows and {@code width} columns, element
 * {@code (row r, column c)} at {@code r·width + c}, as numpy/OpenCV store a 2-D array.
 *
 * <p>Depends on: core.util, core.volume, core.volume.nifti, core.volume.png, Gson, ImgLib2.
 */
package io.github.unet3p.core.preprocess;
