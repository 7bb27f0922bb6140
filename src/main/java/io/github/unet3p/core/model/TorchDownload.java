package io.github.unet3p.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;

/**
 * Fetches DJL's CUDA build of PyTorch {@value TorchBuild#PYTORCH_VERSION} ({@value TorchBuild#CUDA_FLAVOR})
 * once into {@link TorchBuild#cudaFolder}, as DJL itself would download it into its cache: the
 * build's file list, then every {@code <flavour>/<os>-<arch>/native/lib/<file>.gz}, unpacked. The
 * files arrive in a temporary folder beside the target, which is renamed into place only when
 * every file is complete; a cancelled or failed fetch leaves nothing behind.
 *
 * <p>NB: the plugin ships the CPU build on its class path, and DJL never downloads when a native
 * jar is present; this class is the only thing in the plugin that opens a network connection, and
 * only when a user asks for it ({@code UNet3+ Engine}, {@code fetch=true}).
 */
public final class TorchDownload {

	/** DJL's download location of PyTorch 2.7.1 builds (what DJL's own LibUtils reads). */
	public static final URI DJL_REPOSITORY = URI.create("https://publish.djl.ai/pytorch/" + TorchBuild.PYTORCH_VERSION + "/");

	/** Tells whether an NVIDIA driver is installed; a probe so that tests can pose as either machine. */
	public interface DriverProbe {

		/** A sentence naming the driver found, or null when there is none. */
		String driver();

		/** The probe for this machine: {@code /proc/driver/nvidia/version} on Linux, {@code nvcuda.dll} on Windows. */
		static DriverProbe system() {
			return () -> {
				final String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
				try {
					if (os.startsWith("win")) {
						final Path dll = Path.of(System.getenv().getOrDefault("SystemRoot", "C:\\Windows"), "System32", "nvcuda.dll");
						return Files.isRegularFile(dll) ? "NVIDIA driver (" + dll + ")" : null;
					}
					final Path version = Path.of("/proc/driver/nvidia/version");
					return Files.isRegularFile(version) ? Files.readAllLines(version).stream().findFirst().orElse("NVIDIA driver").trim() : null;
				}
				catch (final IOException | RuntimeException e) {
					return null;
				}
			};
		}
	}

	private TorchDownload() {}

	/**
	 * Makes sure the CUDA build is in {@link TorchBuild#cudaFolder}{@code (home, classifier)},
	 * downloading it from {@code repository} when it is not.
	 *
	 * @return the folder
	 * @throws InvalidInputException when there is no NVIDIA driver, no network (naming the address
	 *             and how to bring the files in by hand), no build for this machine, or a download fails
	 * @throws io.github.unet3p.core.util.CancelledException when cancelled (between files and blocks)
	 */
	public static Path fetch(final Path home, final String classifier, final URI repository, final DriverProbe probe, final ProgressListener progress,
			final Cancellation cancel) throws IOException {
		final Path target = TorchBuild.cudaFolder(home, classifier);
		if (Files.isRegularFile(target.resolve(TorchBuild.libraryFile("torch", classifier)))) {
			progress.message("The CUDA build is already in " + target + "; nothing to fetch.");
			return target;
		}
		if (!TorchBuild.hasShippedJni(classifier, TorchBuild.CUDA_FLAVOR))
			throw new InvalidInputException("DJL " + TorchBuild.DJL_VERSION + " has a CUDA build of PyTorch " + TorchBuild.PYTORCH_VERSION
					+ " for Linux and Windows on x86_64 only; this machine is " + classifier + ".");
		final String driver = probe.driver();
		if (driver == null)
			throw new InvalidInputException("No NVIDIA driver found on this machine (" + (classifier.startsWith("win") ? "no nvcuda.dll in System32" : "no /proc/driver/nvidia/version")
					+ "). The CUDA build needs an NVIDIA GPU and its driver (one that supports CUDA 12.8; nvidia-smi shows the CUDA version it supports). Nothing was downloaded.");
		progress.message("Found " + driver + ".");
		// NB: DJL's own rule: every listed file under <flavour>/<os>-<arch>/, named by its last path part.
		final String prefix = TorchBuild.CUDA_FLAVOR + "/" + classifier + "/";
		final List<String> files = new ArrayList<>();
		for (final String line : new String(read(repository.resolve("files.txt")), StandardCharsets.UTF_8).split("\\R"))
			if (line.startsWith(prefix) && line.endsWith(".gz")) files.add(line.trim());
		if (files.isEmpty())
			throw new InvalidInputException(repository.resolve("files.txt") + " lists no " + TorchBuild.CUDA_FLAVOR + " build for " + classifier + ".");
		final Path parent = target.getParent();
		Files.createDirectories(parent);
		final Path tmp = Files.createTempDirectory(parent, "fetch");
		try {
			for (int i = 0; i < files.size(); i++) {
				cancel.check("Fetching the CUDA build");
				final String line = files.get(i);
				final String name = URLDecoder.decode(line.substring(line.lastIndexOf('/') + 1, line.length() - 3), StandardCharsets.UTF_8);
				progress.progress("Fetching " + name, i, files.size());
				final URI url = repository.resolve(line);
				try (InputStream in = new GZIPInputStream(open(url)); OutputStream out = Files.newOutputStream(tmp.resolve(name))) {
					final byte[] buffer = new byte[1 << 16];
					for (int n; (n = in.read(buffer)) > 0;) {
						out.write(buffer, 0, n);
						cancel.check("Fetching the CUDA build");
					}
				}
				catch (final IOException e) {
					throw failure(url, e);
				}
			}
			progress.progress("Fetching the CUDA build", files.size(), files.size());
			if (!Files.isRegularFile(tmp.resolve(TorchBuild.libraryFile("torch", classifier))))
				throw new InvalidInputException(repository + " delivered no " + TorchBuild.libraryFile("torch", classifier) + " for " + classifier + ".");
			Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
			progress.message("The CUDA build of PyTorch " + TorchBuild.PYTORCH_VERSION + " is in " + target + " (" + files.size() + " files).");
			return target;
		}
		finally {
			deleteTree(tmp);
		}
	}

	private static byte[] read(final URI url) {
		try (InputStream in = open(url)) {
			return in.readAllBytes();
		}
		catch (final IOException e) {
			throw failure(url, e);
		}
	}

	private static InputStream open(final URI url) throws IOException {
		final HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
		c.setConnectTimeout(15_000);
		c.setReadTimeout(60_000);
		final int status = c.getResponseCode();
		if (status != 200) {
			c.disconnect();
			throw new IOException("HTTP " + status);
		}
		return c.getInputStream();
	}

	private static InvalidInputException failure(final URI url, final IOException e) {
		final boolean offline = e instanceof UnknownHostException || e instanceof ConnectException || e instanceof NoRouteToHostException
				|| e instanceof SocketTimeoutException;
		if (offline)
			return new InvalidInputException("No network: " + url.getHost() + " cannot be reached (" + e + "). Nothing was downloaded. Fetch the CUDA build on a machine with network "
					+ "(UNet3+ Engine, fetch=true) and copy its folder pytorch/" + TorchBuild.PYTORCH_VERSION + "-" + TorchBuild.CUDA_FLAVOR
					+ "-<os>-<arch> into this machine's cache (see docs/gpu.md).", e);
		return new InvalidInputException("Fetching " + url + " failed: " + e.getMessage() + ". Nothing was kept; try again.", e);
	}

	private static void deleteTree(final Path dir) throws IOException {
		if (!Files.exists(dir)) return;
		try (Stream<Path> files = Files.walk(dir)) {
			for (final Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator)
				Files.deleteIfExists(p);
		}
	}
}
