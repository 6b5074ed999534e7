// SPDX-License-Identifier: GPL-2.0
#include "cli_util.hpp"

#include <climits>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include "exec.hpp"

namespace selftest {

static std::string self_dir()
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n <= 0)
		return ".";
	std::string path(buf, size_t(n));
	return path.substr(0, path.rfind('/'));
}

static CliRun run(const std::vector<std::string> &argv, const std::vector<std::string> &env)
{
	CliRun r;
	int out[2], err[2];
	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		return r;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		for (const auto &e : env)
			putenv(const_cast<char *>(e.c_str()));
		nstree::exec_or_exit(argv);
	}
	close(out[1]);
	close(err[1]);
	struct pollfd p[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
	std::string *dst[2] = {&r.out, &r.err};
	int open_fds = 2;
	while (open_fds > 0 && poll(p, 2, 60000) > 0) {
		for (int i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP)))
				continue;
			char buf[65536];
			ssize_t n = read(p[i].fd, buf, sizeof(buf));
			if (n > 0) {
				dst[i]->append(buf, size_t(n));
			} else {
				close(p[i].fd);
				p[i].fd = -1;
				open_fds--;
			}
		}
	}
	for (auto &x : p)
		if (x.fd >= 0)
			close(x.fd);
	int st;
	if (waitpid(pid, &st, 0) == pid)
		r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return r;
}

CliRun run_nstree(const std::vector<std::string> &args, const std::vector<std::string> &env)
{
	std::vector<std::string> argv{self_dir() + "/nstree"};
	argv.insert(argv.end(), args.begin(), args.end());
	return run(argv, env);
}

CliRun run_program(const std::vector<std::string> &argv)
{
	return run(argv, {});
}

static void flatten(const nlohmann::json &list, std::vector<nlohmann::json> &out)
{
	for (const auto &ns : list) {
		out.push_back(ns);
		if (ns.contains("children"))
			flatten(ns["children"], out);
	}
}

std::vector<nlohmann::json> cli_namespaces(const std::string &json_text)
{
	std::vector<nlohmann::json> out;
	auto j = nlohmann::json::parse(json_text);
	flatten(j.at("namespaces"), out);
	return out;
}

std::set<unsigned long long> cli_inodes(const std::string &json_text)
{
	std::set<unsigned long long> s;
	for (const auto &ns : cli_namespaces(json_text))
		if (ns.contains("ns") && ns["ns"].is_number())
			s.insert(ns["ns"].get<unsigned long long>());
	return s;
}

std::set<unsigned long long> lsns_inode_set()
{
	std::set<unsigned long long> s;
	auto r = run({"/usr/bin/lsns", "-n", "-r", "-o", "NS"}, {});
	std::istringstream in(r.out);
	unsigned long long ino;
	while (in >> ino)
		s.insert(ino);
	return s;
}

} // namespace selftest
