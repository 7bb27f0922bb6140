package io.github.unet3p.fiji.updatesite;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small jars for the update site tests. */
final class TestJars {

	private TestJars() {}

	/** A jar at {@code jar} with a manifest declaring {@code moduleName} (none if null), then {@code entries} in order. */
	static Path jar(final Path jar, final String moduleName, final Map<String, String> entries) throws IOException {
		Files.createDirectories(jar.getParent());
		try (OutputStream raw = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(raw)) {
			zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
			zip.write(("Manifest-Version: 1.0\r\n" + (moduleName == null ? "" : "Automatic-Module-Name: " + moduleName + "\r\n") + "\r\n")
					.getBytes(StandardCharsets.UTF_8));
			zip.closeEntry();
			for (final Map.Entry<String, String> e : entries.entrySet()) {
				zip.putNextEntry(new ZipEntry(e.getKey()));
				zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
				zip.closeEntry();
			}
		}
		return jar;
	}
}
