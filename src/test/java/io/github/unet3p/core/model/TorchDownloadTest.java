package io.github.unet3p.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import ai.djl.util.Utils;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.CancelledException;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;

/**
 * Fetching the CUDA build, against a repository served on the loopback address (this machine has
 * no network): the refusals (no NVIDIA driver, no network, a machine DJL has no CUDA build for),
 * the files landing in DJL's own cache layout, and a cancelled fetch leaving nothing.
 */
class TorchDownloadTest {

	private static final String LINUX = "linux-x86_64";
	private static final TorchDownload.DriverProbe DRIVER = () -> "NVRM version: test driver";
	private static final TorchDownload.DriverProbe NO_DRIVER = () -> null;

	@TempDir
	Path home;

	@Test
	void noNvidiaDriverIsRefusedBeforeAnyConnection() {
		final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> TorchDownload.fetch(home, LINUX, URI.create("http://127.0.0.1:9/"), NO_DRIVER, ProgressListener.NONE, Cancellation.none()));
		assertTrue(e.getMessage().startsWith("No NVIDIA driver found on this machine (no /proc/driver/nvidia/version)"), e.getMessage());
		assertTrue(e.getMessage().contains("Nothing was downloaded"), e.getMessage());
		assertFalse(Files.exists(TorchBuild.cudaFolder(home, LINUX)));
	}

	@Test
	void noNetworkIsSaidSoWithTheWayAround() throws IOException {
		final int closed;
		try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closed = s.getLocalPort();
		}
		final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> TorchDownload.fetch(home, LINUX, URI.create("http://127.0.0.1:" + closed + "/pytorch/2.7.1/"), DRIVER, ProgressListener.NONE, Cancellation.none()));
		assertTrue(e.getMessage().startsWith("No network: 127.0.0.1 cannot be reached"), e.getMessage());
		assertTrue(e.getMessage().contains("copy its folder pytorch/2.7.1-cu128-<os>-<arch>"), e.getMessage());
		assertFalse(Files.exists(TorchBuild.cudaFolder(home, LINUX)));
		try (Stream<Path> left = Files.walk(home)) {
			assertEquals(List.of(home), left.toList(), "nothing left behind");
		}
	}

	@Test
	void aMachineWithoutACudaBuildIsRefused() {
		final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> TorchDownload.fetch(home, "osx-aarch64", URI.create("http://127.0.0.1:9/"), DRIVER, ProgressListener.NONE, Cancellation.none()));
		assertTrue(e.getMessage().contains("for Linux and Windows on x86_64 only; this machine is osx-aarch64"), e.getMessage());
	}

	@Test
	void theFilesLandInDjlsCacheLayoutAndAreReusedOffline() throws IOException {
		final Map<String, byte[]> files = Map.of("libtorch.so", bytes("torch"), "libtorch_cuda.so", bytes("cuda"), "libc10_cuda.so", bytes("c10"));
		final HttpServer server = serve(files);
		try {
			final URI repo = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/pytorch/2.7.1/");
			final List<String> progress = new ArrayList<>();
			final Path folder = TorchDownload.fetch(home, LINUX, repo, DRIVER, listener(progress), Cancellation.none());
			// DJL's own formula for where it keeps (and looks for) this build, with the plugin's cache as its cache root.
			final String before = System.getProperty("ENGINE_CACHE_DIR");
			System.setProperty("ENGINE_CACHE_DIR", TorchBuild.cacheRoot(home).toString());
			try {
				assertEquals(Utils.getEngineCacheDir("pytorch").resolve("2.7.1-cu128-" + ai.djl.util.Platform.detectPlatform("pytorch").getClassifier()), folder);
			}
			finally {
				if (before == null) System.clearProperty("ENGINE_CACHE_DIR");
				else System.setProperty("ENGINE_CACHE_DIR", before);
			}
			for (final Map.Entry<String, byte[]> f : files.entrySet())
				assertArrayEquals(f.getValue(), Files.readAllBytes(folder.resolve(f.getKey())), f.getKey());
			try (Stream<Path> in = Files.list(folder.getParent())) {
				assertEquals(List.of(folder), in.toList(), "no temporary folder left beside it");
			}
			assertTrue(progress.stream().anyMatch(p -> p.startsWith("Fetching libtorch")), progress.toString());
			assertEquals(TorchBuild.Kind.CUDA, TorchBuild.choose(new TorchBuild.Environment(Map.of(TorchBuild.ENV, "cuda", TorchBuild.HOME_ENV, home.toString()), Map.of(), LINUX)).kind());
			TorchBuild.choose(new TorchBuild.Environment(Map.of(TorchBuild.ENV, "cuda", TorchBuild.HOME_ENV, home.toString()), Map.of(), LINUX)).requireInstalled();
		}
		finally {
			server.stop(0);
		}
		// offline afterwards: a second fetch finds it and connects nowhere
		final List<String> again = new ArrayList<>();
		TorchDownload.fetch(home, LINUX, URI.create("http://127.0.0.1:9/"), NO_DRIVER, listener(again), Cancellation.none());
		assertTrue(again.get(0).contains("already in"), again.toString());
	}

	@Test
	void aCancelledFetchLeavesNothing() throws IOException {
		final HttpServer server = serve(Map.of("libtorch.so", bytes("torch"), "libc10.so", bytes("c10")));
		try {
			final URI repo = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/pytorch/2.7.1/");
			final Cancellation cancel = new Cancellation();
			final ProgressListener stopAtFirstFile = new ProgressListener() {
				@Override
				public void progress(final String task, final long done, final long total) {
					cancel.cancel();
				}

				@Override
				public void message(final String text) {}
			};
			assertThrows(CancelledException.class, () -> TorchDownload.fetch(home, LINUX, repo, DRIVER, stopAtFirstFile, cancel));
			assertFalse(Files.exists(TorchBuild.cudaFolder(home, LINUX)));
			try (Stream<Path> in = Files.list(TorchBuild.cudaFolder(home, LINUX).getParent())) {
				assertEquals(0, in.count(), "no temporary folder left");
			}
		}
		finally {
			server.stop(0);
		}
	}

	private static ProgressListener listener(final List<String> into) {
		return new ProgressListener() {
			@Override
			public synchronized void progress(final String task, final long done, final long total) {
				into.add(task + " " + done + "/" + total);
			}

			@Override
			public synchronized void message(final String text) {
				into.add(text);
			}
		};
	}

	private static byte[] bytes(final String s) {
		return ("ELF pretend " + s).getBytes(StandardCharsets.UTF_8);
	}

	/** DJL's repository layout on the loopback address: files.txt and gzipped files, with other flavours listed too. */
	private static HttpServer serve(final Map<String, byte[]> files) throws IOException {
		final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		final StringBuilder index = new StringBuilder("cpu/linux-x86_64/native/lib/libtorch.so.gz\ncu124/linux-x86_64/native/lib/libtorch.so.gz\n");
		for (final String name : files.keySet())
			index.append("cu128/linux-x86_64/native/lib/").append(name).append(".gz\n");
		index.append("cu128/win-x86_64/native/lib/torch.dll.gz\n");
		server.createContext("/pytorch/2.7.1/", exchange -> {
			final String path = exchange.getRequestURI().getPath().substring("/pytorch/2.7.1/".length());
			byte[] body = null;
			if (path.equals("files.txt")) body = index.toString().getBytes(StandardCharsets.UTF_8);
			else if (path.startsWith("cu128/linux-x86_64/native/lib/") && files.containsKey(path.substring(30, path.length() - 3))) {
				final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
				try (OutputStream gz = new GZIPOutputStream(bytes)) {
					gz.write(files.get(path.substring(30, path.length() - 3)));
				}
				body = bytes.toByteArray();
			}
			if (body == null) exchange.sendResponseHeaders(404, -1);
			else {
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			}
			exchange.close();
		});
		server.start();
		return server;
	}
}
