package io.github.unet3p.fiji.updatesite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fiji's jars read from a pom-scijava-shaped POM, and a staged jar under one of their updater keys refused. */
class FijiJarsTest {

	@TempDir
	Path tmp;

	private Path pom() throws IOException {
		return Files.writeString(tmp.resolve("pom-scijava.pom"), """
				<project xmlns="http://maven.apache.org/POM/4.0.0">
				  <properties>
				    <protobuf.version>4.32.0</protobuf.version>
				    <protobuf-java.version>${protobuf.version}</protobuf-java.version>
				    <com.google.protobuf.protobuf-java.version>${protobuf-java.version}</com.google.protobuf.protobuf-java.version>
				    <gson.version>2.10.1</gson.version>
				  </properties>
				  <dependencyManagement><dependencies>
				    <dependency><groupId>com.google.protobuf</groupId><artifactId>protobuf-java</artifactId>
				      <version>${com.google.protobuf.protobuf-java.version}</version></dependency>
				    <dependency><groupId>com.google.code.gson</groupId><artifactId>gson</artifactId><version>${gson.version}</version></dependency>
				  </dependencies></dependencyManagement>
				</project>
				""");
	}

	@Test
	void managedArtifactsAreKeyedAsTheUpdaterKeysTheirJars() throws IOException {
		assertEquals(Map.of("jars/protobuf-java.jar", "com.google.protobuf:protobuf-java:4.32.0", "jars/gson.jar", "com.google.code.gson:gson:2.10.1"),
				FijiJars.managed(pom()));
	}

	@Test
	void aJarFijiShipsIsRefusedUnderAnyVersionAndOthersPass() throws IOException {
		final Map<String, String> managed = FijiJars.managed(pom());
		FijiJars.checkNotShipped(List.of("jars/djl-api-0.36.0.jar", "jars/linux64/pytorch-native-cpu-2.7.1.jar", "jars/unet3p-fiji-0.2.0.jar"), managed);
		final IOException e = assertThrows(IOException.class,
				() -> FijiJars.checkNotShipped(List.of("jars/djl-api-0.36.0.jar", "jars/protobuf-java-3.25.5.jar", "jars/gson-2.13.2.jar"), managed));
		assertTrue(e.getMessage().contains("jars/protobuf-java-3.25.5.jar is Fiji's com.google.protobuf:protobuf-java:4.32.0 (updater key jars/protobuf-java.jar)")
				&& e.getMessage().contains("jars/gson-2.13.2.jar is Fiji's com.google.code.gson:gson:2.10.1") && !e.getMessage().contains("djl-api"),
				e.getMessage());
	}

	@Test
	void aFileThatIsNoPomScijavaIsRefused() throws IOException {
		final Path notAPom = Files.writeString(tmp.resolve("x.pom"), "<project/>");
		assertTrue(assertThrows(IOException.class, () -> FijiJars.managed(notAPom)).getMessage().contains("manages no dependency"));
		final Path broken = Files.writeString(tmp.resolve("y.pom"), "<project>");
		assertTrue(assertThrows(IOException.class, () -> FijiJars.managed(broken)).getMessage().contains("cannot be read as a POM"));
	}
}
