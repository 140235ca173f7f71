// GLSL programs built from the shaders embedded at build time (shaders/*.vert|frag|comp|glsl).
#pragma once

#include <string>
#include <string_view>

#include "app/gl/objects.hpp"

namespace scorelab::gl {

// The source of shaders/<name> with its #includes expanded. Files in $SCORELAB_SHADER_DIR (in
// debug builds also the source tree's shaders/) win over the embedded copies, so a shader edit
// needs a restart, not a rebuild. Throws GlError when the file is unknown.
std::string shader_source(std::string_view name);

// The driver's compile (shader) or link (program) log, without trailing NULs and newlines.
std::string info_log(GLuint object, bool is_program);

// Compiles and links; throws GlError with the file name and the driver's log on failure. Drawing
// shaders get the current context's #version line (gl::drawing_glsl_header); a compute program
// throws GlError(gl::compute_off_reason()) below GL 4.3.
Program build_program(std::string_view vertex_name, std::string_view fragment_name);
Program build_compute_program(std::string_view compute_name);
// A compute program from source text already prepared (e.g. with #defines inserted); name labels messages.
Program build_compute_source(std::string_view name, const std::string& source);

// glGetUniformLocation; -1 (ignored by glUniform*) when the uniform is absent or optimised away.
GLint uniform_location(const Program& program, const char* name);

}  // namespace scorelab::gl
