/** The HTTP discipline collectors share: a named interface of the collect module. */
@org.springframework.modulith.NamedInterface("http")
package dev.assay.collect.http;
