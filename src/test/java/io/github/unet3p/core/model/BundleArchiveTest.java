package io.github.unet3p.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.util.InvalidInputException;

/** A zipped model bundle opens like its folder; a hostile zip is refused before anything escapes. */
class BundleArchiveTest {

	@TempDir
	Path tmp;

	/** Writes a zip of {@code entries} (name to bytes, in order). */
	private Path zip(final String name, final Map<String, byte[]> entries) throws IOException {
		final Path file = tmp.resolve(name);
		try (OutputStream out = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(out)) {
			for (final Map.Entry<String, byte[]> e : entries.entrySet()) {
				z.putNextEntry(new ZipEntry(e.getKey()));
				z.write(e.getValue());
				z.closeEntry();
			}
		}
		return file;
	}

	private static byte[] text(final String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

	/** A real tiny bundle folder (filters 1, size 32). */
	private Path bundle() throws IOException {
		final Path dir = tmp.resolve("model");
		final ModelSpec spec = ModelSpec.builder().optBackbone("unet3plus").optFilters(1).optSize(32).build();
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
			net.initialize(m, 7);
			ModelWeights.save(net.block(), dir.resolve(ModelBundle.WEIGHTS_FILE));
		}
		new ModelBundle(spec, new PreparationSpec(-200, 250, 32), null).writeSpec(dir);
		Files.createDirectories(dir.resolve("training"));
		Files.writeString(dir.resolve("training/log.csv"), "epoch,loss\n");
		return dir;
	}

	private static Map<String, byte[]> contents(final Path dir, final String prefix) throws IOException {
		final Map<String, byte[]> map = new java.util.LinkedHashMap<>();
		try (Stream<Path> files = Files.walk(dir)) {
			for (final Path p : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator)
				map.put(prefix + dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
		}
		return map;
	}

	private InvalidInputException refused(final Path zip, final String... fragments) {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> BundleArchive.open(zip).close());
		assertTrue(e.getMessage().contains(zip.toString()), e.getMessage());
		for (final String f : fragments)
			assertTrue(e.getMessage().contains(f), "'" + f + "' in: " + e.getMessage());
		return e;
	}

	@Test
	void aZippedBundleReadsAndLoadsLikeItsFolderAndTheCopyIsDeletedOnClose() throws IOException {
		final Path dir = bundle();
		final Path zip = zip("model.zip", contents(dir, ""));
		final Path extracted;
		try (BundleArchive a = BundleArchive.open(zip); NDManager m = TorchEngine.get().newBaseManager()) {
			assertTrue(a.extracted());
			extracted = a.folder();
			final ModelBundle b = ModelBundle.read(a.folder());
			assertEquals(ModelBundle.read(dir).architecture(), b.architecture());
			b.loadNetwork(a.folder(), m);
			assertArrayEquals(Files.readAllBytes(dir.resolve(ModelBundle.WEIGHTS_FILE)), Files.readAllBytes(a.folder().resolve(ModelBundle.WEIGHTS_FILE)));
			assertTrue(Files.isRegularFile(a.folder().resolve("training/log.csv")));
		}
		assertFalse(Files.exists(extracted), "the temporary copy is gone");
	}

	@Test
	void messagesAboutAZippedBundleNameTheZipNotTheTemporaryCopy() throws IOException {
		final Map<String, byte[]> entries = contents(bundle(), "");
		entries.put(ModelBundle.WEIGHTS_FILE, new byte[] { 1, 2, 3 });
		final Path zip = zip("broken.zip", entries);
		try (BundleArchive a = BundleArchive.open(zip); NDManager m = TorchEngine.get().newBaseManager()) {
			final ModelBundle b = a.read();
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> a.loadNetwork(b, m));
			assertTrue(e.getMessage().contains(zip + "!/" + ModelBundle.WEIGHTS_FILE), e.getMessage());
			assertFalse(e.getMessage().contains(a.folder().toString()), e.getMessage());
		}
	}

	@Test
	void aFolderIsUsedInPlace() throws IOException {
		final Path dir = bundle();
		try (BundleArchive a = BundleArchive.open(dir)) {
			assertFalse(a.extracted());
			assertEquals(dir, a.folder());
		}
		assertTrue(Files.isRegularFile(dir.resolve(ModelBundle.SPEC_FILE)), "closing never deletes a folder bundle");
	}

	@Test
	void aZipOfTheFolderItselfIsReadFromItsTopFolderAndStrayFilesAreSkipped() throws IOException {
		final Map<String, byte[]> entries = contents(bundle(), "my-model/");
		entries.put("my-model/.DS_Store", text("x"));
		entries.put("__MACOSX/my-model/._unet3p.json", text("x"));
		try (BundleArchive a = BundleArchive.open(zip("m.zip", entries))) {
			ModelBundle.read(a.folder());
			assertFalse(Files.exists(a.folder().resolve(".DS_Store")));
		}
	}

	@Test
	void zipSlipEntryIsRefusedAndNothingIsWrittenOutside() throws IOException {
		final Map<String, byte[]> entries = contents(bundle(), "");
		entries.put("training/../../x", text("escaped"));
		refused(zip("slip.zip", entries), "training/../../x", "outside");
		entries.remove("training/../../x");
		entries.put("../x", text("escaped"));
		refused(zip("slip2.zip", entries), "'../x'", "outside");
		try (Stream<Path> temp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			assertTrue(temp.noneMatch(p -> p.getFileName().toString().equals("x") && isEscaped(p)), "no file escaped into the temp folder");
		}
	}

	private static boolean isEscaped(final Path p) {
		try {
			return Files.readString(p).equals("escaped");
		}
		catch (final IOException e) {
			return false;
		}
	}

	@Test
	void absolutePathsAreRefused() throws IOException {
		final Map<String, byte[]> entries = contents(bundle(), "");
		entries.put("/tmp/unet3p-absolute", text("x"));
		refused(zip("abs.zip", entries), "/tmp/unet3p-absolute", "absolute");
		entries.remove("/tmp/unet3p-absolute");
		entries.put("C:\\Windows\\x", text("x"));
		refused(zip("abs2.zip", entries), "absolute path or a backslash");
	}

	@Test
	void symbolicLinksAreRefused() throws IOException {
		final Map<String, byte[]> entries = contents(bundle(), "");
		entries.put("training/link", text("/etc/passwd"));
		final Path zip = zip("link.zip", entries);
		patchCentral(zip, "training/link", (cd, at) -> {
			cd.putShort(at + 4, (short) (3 << 8 | 20)); // made by Unix
			cd.putInt(at + 38, 0120777 << 16); // S_IFLNK | rwxrwxrwx
		});
		refused(zip, "training/link", "symbolic link");
	}

	@Test
	void aHugeDeclaredSizeIsRefusedBeforeUnpacking() throws IOException {
		final Map<String, byte[]> entries = contents(bundle(), "");
		entries.put("training/a.bin", new byte[10]);
		entries.put("training/b.bin", new byte[10]);
		final Path zip = zip("declared.zip", entries);
		for (final String name : List.of("training/a.bin", "training/b.bin"))
			patchCentral(zip, name, (cd, at) -> cd.putInt(at + 24, 0xF0000000)); // 3.75 GiB each
		refused(zip, "declares 7.5 GiB", "at most 4 GiB");
	}

	@Test
	void anEntryThatExpandsBeyondItsRatioIsRefused() throws IOException {
		final Map<String, byte[]> entries = contents(bundle(), "");
		entries.put("training/bomb.bin", new byte[40 << 20]); // 40 MiB of zeros deflate to ~40 KiB
		refused(zip("bomb.zip", entries), "training/bomb.bin", "expands more than 200×");
	}

	@Test
	void anEntryHoldingMoreThanItDeclaresIsRefused() throws IOException {
		final Map<String, byte[]> entries = contents(bundle(), "");
		entries.put("training/lie.bin", new byte[100_000]);
		final Path zip = zip("lie.zip", entries);
		patchCentral(zip, "training/lie.bin", (cd, at) -> cd.putInt(at + 24, 1000));
		final InvalidInputException e = refused(zip);
		assertTrue(e.getMessage().contains("1000 bytes it declares") || e.getMessage().contains("not a valid zip"), e.getMessage());
	}

	@Test
	void tooManyEntriesAreRefused() throws IOException {
		final Map<String, byte[]> entries = contents(bundle(), "");
		for (int i = 0; i <= BundleArchive.MAX_ENTRIES; i++)
			entries.put("training/f" + i, new byte[0]);
		refused(zip("many.zip", entries), "entries", "at most " + BundleArchive.MAX_ENTRIES);
	}

	@Test
	void aZipWithoutASpecOrNotAZipAtAllIsRefused() throws IOException {
		refused(zip("empty.zip", Map.of("weights.params", new byte[3])), "holds no unet3p.json");
		final Path fake = Files.writeString(tmp.resolve("model.zip"), "not a zip");
		refused(fake, "neither a folder nor a zip");
		final Path cut = tmp.resolve("cut.zip");
		final byte[] whole = Files.readAllBytes(zip("whole.zip", contents(bundle(), "")));
		Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
		refused(cut, "no zip central directory");
	}

	/** Edits the central-directory record of entry {@code name} in place. */
	private static void patchCentral(final Path zip, final String name, final java.util.function.ObjIntConsumer<ByteBuffer> edit) throws IOException {
		final byte[] bytes = Files.readAllBytes(zip);
		final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		final byte[] want = name.getBytes(StandardCharsets.UTF_8);
		for (int at = 0; at + 46 < bytes.length; at++) {
			if (b.getInt(at) != 0x02014b50) continue;
			final int n = b.getShort(at + 28) & 0xffff;
			if (n == want.length && java.util.Arrays.equals(bytes, at + 46, at + 46 + n, want, 0, n)) {
				edit.accept(b, at);
				Files.write(zip, bytes);
				return;
			}
		}
		throw new IllegalStateException("no central record for " + name);
	}
}
