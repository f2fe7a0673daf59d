package dev.nabla.processor.plan;

import dev.nabla.processor.ops.ParamTensor;

/** A parameter tensor placed in the flat parameter array, with its value and gradient buffers. */
public record ParamSlot(String name, ParamTensor tensor, int offset, Buffer value, Buffer grad) {}
