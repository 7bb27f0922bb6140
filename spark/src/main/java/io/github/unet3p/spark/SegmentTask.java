package io.github.unet3p.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

import io.github.unet3p.core.infer.FolderSegmentation;
import io.github.unet3p.core.infer.SegmentTargets;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.fiji.io.VolumeFiles;

/**
 * One Spark task: segments one volume with the core's {@link FolderSegmentation} and publishes its
 * files. The model comes from {@link ExecutorModels} (opened once per task slot of the executor);
 * PyTorch's intra-op threads follow {@code spark.task.cpus}. The input is read in place on a local
 * disk, else from a local copy; the outputs are written to a local scratch folder and published
 * atomically ({@link HadoopFiles#publish}), probability maps first and the label file last, so a
 * label file means its volume is complete on every file system.
 *
 * <p>A volume that cannot be read or segmented is a {@link VolumeRow#FAILED} row, not a failed task.
 * Anything else (an executor lost, a task killed) fails the attempt; Spark runs it again and the new
 * attempt replaces whatever files the old one published.
 */
class SegmentTask implements Function<VolumeTarget, VolumeRow> {

	private static final long serialVersionUID = 1L;
	private static final ScheduledExecutorService WATCH = Executors.newSingleThreadScheduledExecutor(r -> {
		final Thread t = new Thread(r, "unet3p-task-watch");
		t.setDaemon(true);
		return t;
	});

	private final SegmentRequest request;
	private final String model;
	private final HadoopConf conf;

	SegmentTask(final SegmentRequest request, final String model, final HadoopConf conf) {
		this.request = request;
		this.model = model;
		this.conf = conf;
	}

	@Override
	public VolumeRow call(final VolumeTarget target) throws IOException {
		System.setProperty("java.awt.headless", "true");
		final long t0 = System.nanoTime();
		final TaskContext task = TaskContext.get();
		final int threads = task != null ? Math.max(1, task.cpus()) : 1;
		final String executor = executor();
		final Configuration hadoop = conf.get();
		final Cancellation cancel = new Cancellation();
		final ScheduledFuture<?> watch = task == null ? null : WATCH.scheduleWithFixedDelay(() -> {
			if (task.isInterrupted()) cancel.cancel();
		}, 100, 100, TimeUnit.MILLISECONDS);
		final java.nio.file.Path scratch = Files.createTempDirectory("unet3p-task-");
		java.nio.file.Path input = null;
		try (ExecutorModels.Lease lease = ExecutorModels.borrow(new Path(model), request.settings(), threads, hadoop)) {
			input = HadoopFiles.readable(new Path(target.input()), hadoop, scratch.resolve("in"));
			final java.nio.file.Path out = scratch.resolve("out");
			final java.nio.file.Path labels = out.resolve(new Path(target.labels()).getName());
			final List<java.nio.file.Path> maps = new ArrayList<>();
			for (final String p : target.probabilities())
				maps.add(out.resolve(new Path(p).getName()));
			final SegmentTargets.Job job = new SegmentTargets.Job(input, target.name(), labels, List.copyOf(maps));
			final FolderSegmentation.Outcome o = new FolderSegmentation(lease.model(), lease.model().preparation(), request.settings(), VolumeFiles.READER)
					.segment(job, ProgressListener.NONE, cancel);
			final String tag = tag(task);
			for (int c = 0; c < maps.size(); c++)
				publish(maps.get(c), new Path(target.probabilities().get(c)), hadoop, tag);
			publish(labels, new Path(target.labels()), hadoop, tag);
			final double seconds = (System.nanoTime() - t0) / 1e9;
			final FolderSegmentation.Outcome total = new FolderSegmentation.Outcome(o.foregroundMl(), o.foregroundVoxels(), o.slices(), seconds);
			return new VolumeRow(target.input(), VolumeRow.SEGMENTED, FolderSegmentation.message(target.name(), target.labels(), total), o.slices(), seconds,
					executor, o.foregroundMl());
		}
		catch (final InvalidInputException e) {
			String message = e.getMessage();
			if (input != null && !HadoopFiles.isLocal(new Path(target.input()))) message = message.replace(input.toString(), target.input());
			return new VolumeRow(target.input(), VolumeRow.FAILED, message, -1, (System.nanoTime() - t0) / 1e9, executor, 0);
		}
		finally {
			if (watch != null) watch.cancel(false);
			HadoopFiles.deleteTree(scratch);
		}
	}

	/**
	 * Publishes one finished local file as {@code target} ({@link HadoopFiles#publish}). NB: the one
	 * step the tests replace to fail an attempt half-way through writing a volume.
	 */
	protected void publish(final java.nio.file.Path local, final Path target, final Configuration hadoop, final String tag) throws IOException {
		HadoopFiles.publish(local, target, hadoop, tag);
	}

	/** What makes this attempt's temporary file names unique. */
	static String tag(final TaskContext task) {
		return task == null ? "local" : "attempt" + task.taskAttemptId();
	}

	/** {@code id@host} of the executor running this code ({@code driver@host} in local mode). */
	static String executor() {
		final SparkEnv env = SparkEnv.get();
		if (env == null) return "";
		return env.executorId() + "@" + env.blockManager().blockManagerId().host();
	}
}
