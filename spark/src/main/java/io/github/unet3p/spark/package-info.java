/**
 * UNet3+ on Apache Spark: a door like Fiji's, for many volumes on a cluster. {@link
 * io.github.unet3p.spark.SparkMain} takes the launcher's {@code --run "<command>" "<keys>"} syntax;
 * {@link io.github.unet3p.spark.SegmentFilesJob} segments one volume per task with the core's
 * {@link io.github.unet3p.core.infer.FolderSegmentation} and writes what {@code UNet3+ Segment Files}
 * writes, plus {@code summary.csv}; {@link io.github.unet3p.spark.EvaluateJob} computes the LiTS
 * metrics of one case per task with {@link io.github.unet3p.core.metrics.LitsEvaluator} and writes
 * the CSV {@code UNet3+ Evaluate} writes. Files live on any Hadoop file system ({@link
 * io.github.unet3p.spark.HadoopFiles}).
 *
 * <p>Holds no segmentation or metric logic of its own. Depends on Spark, Hadoop's client API, the
 * plugin's core and {@code fiji.io} (ImageJ 1.x's DICOM decoder, a plain headless library here), and
 * the launcher's option parser; never on SciJava (the module's build leaves it off the class path).
 */
package io.github.unet3p.spark;
