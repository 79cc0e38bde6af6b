package io.realtime.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * {@code realtime-bom} manages every library module of the build at the build's version, and
 * nothing of our build leaks into a user's project through it.
 */
class RealtimeBomTest {
  private static final Path ROOT =
      Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).getParent();
  /** Modules that are not libraries: the server, the benchmarks, the BOM itself. */
  private static final Set<String> NOT_LIBRARIES =
      Set.of("realtime-app", "realtime-bench", "realtime-bom");
  /** Managed already, while the module is built on another branch. */
  private static final Set<String> COMING = Set.of("realtime-adapter-redis");

  @Test
  void managesEveryLibraryModuleAtTheBuildVersion() throws Exception {
    Document root = read(ROOT.resolve("pom.xml"));
    Document bom = read(ROOT.resolve("realtime-bom/pom.xml"));
    Set<String> libraries = new TreeSet<>();
    for (Element module : children(child(root.getDocumentElement(), "modules"), "module")) {
      String name = module.getTextContent().strip();
      if (!NOT_LIBRARIES.contains(name) && !name.contains("/")) { // examples/… are users
        libraries.add(name);
      }
    }
    Set<String> managed = new TreeSet<>();
    Element management = child(bom.getDocumentElement(), "dependencyManagement");
    for (Element dependency : children(child(management, "dependencies"), "dependency")) {
      assertEquals("io.realtime", text(dependency, "groupId"));
      assertEquals("${project.version}", text(dependency, "version"),
          () -> text(dependency, "artifactId"));
      managed.add(text(dependency, "artifactId"));
    }
    Set<String> missing = new TreeSet<>(libraries);
    missing.removeAll(managed);
    assertTrue(missing.isEmpty(), () -> "realtime-bom lacks " + missing);
    Set<String> unknown = new TreeSet<>(managed);
    unknown.removeAll(libraries);
    unknown.removeAll(COMING);
    assertTrue(unknown.isEmpty(), () -> "realtime-bom manages what the build lacks: " + unknown);
    assertEquals(text(root.getDocumentElement(), "version"),
        text(bom.getDocumentElement(), "version"));
  }

  @Test
  void leaksNoParentPropertiesOrThirdPartyPins() throws Exception {
    Element bom = read(ROOT.resolve("realtime-bom/pom.xml")).getDocumentElement();
    assertEquals(List.of(), children(bom, "parent"), "a parent would be imported along");
    assertEquals(List.of(), children(bom, "properties"));
    assertEquals(List.of(), children(bom, "dependencies"));
  }

  @Test
  void theExampleUsesOurArtifactsThroughTheBomAtTheBuildVersion() throws Exception {
    Element root = read(ROOT.resolve("pom.xml")).getDocumentElement();
    Element example = read(ROOT.resolve("examples/orders/pom.xml")).getDocumentElement();
    assertEquals(List.of(), children(example, "parent"),
        "an outside project has no realtime parent");
    // a stale version would build the example against old artifacts from ~/.m2
    assertEquals(text(root, "version"), text(child(example, "properties"), "realtime.version"));
    Element management = child(child(example, "dependencyManagement"), "dependencies");
    assertTrue(children(management, "dependency").stream().anyMatch(d ->
        text(d, "artifactId").equals("realtime-bom") && text(d, "scope").equals("import")
            && text(d, "version").equals("${realtime.version}")), "no import of realtime-bom");
    for (Element dependency : children(child(example, "dependencies"), "dependency")) {
      if (text(dependency, "groupId").equals("io.realtime")) {
        assertEquals(List.of(), children(dependency, "version"),
            () -> text(dependency, "artifactId") + " has a version of its own");
      }
    }
  }

  private static Document read(Path pom) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(pom.toFile());
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    assertEquals(1, found.size(), () -> "one <" + name + "> in <" + parent.getTagName() + ">");
    return found.get(0);
  }

  private static String text(Element parent, String name) {
    return child(parent, name).getTextContent().strip();
  }

  /** Direct children named {@code name}, so that a nested element never counts. */
  private static List<Element> children(Element parent, String name) {
    List<Element> result = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element element && element.getTagName().equals(name)) {
        result.add(element);
      }
    }
    return result;
  }
}
