// SPDX-License-Identifier: GPL-2.0
// nstree-json-sample: prints `nstree ls -J` for a made-up listing, as a list and as
// each tree, so the host test can check them against Documentation/nstree.schema.json.
#include <cstdio>

#include "render.hpp"

using namespace nstree;
using namespace nstree::cli;

int main()
{
	Listing l;
	l.backend = BackendKind::module;
	l.notices.push_back("a \"quoted\" notice");
	Namespace user;
	user.id = 3;
	user.type = CLONE_NEWUSER;
	user.inode = 4026531837;
	user.nprocs = 2;
	user.pid = 1;
	user.ppid = 0;
	user.uid = 0;
	user.command = "/sbin/init [null]";
	user.active = true;
	Namespace net;
	net.id = 4100;
	net.type = CLONE_NEWNET;
	net.inode = 4026532000;
	net.owner_inode = 4026531837;
	net.nsfs = {"/run/netns/a"};
	net.netnsid = 0;
	Holder h(Holder::Kind::bind_mount);
	h.path = "/run/netns/a";
	h.mntns_inode = 4026531841;
	net.holders.push_back(h);
	net.active = true;
	Namespace ghost; // listed but not ours to open: no inode
	ghost.id = 4101;
	ghost.type = CLONE_NEWUTS;
	l.namespaces = {user, net, ghost};
	l.ppid = {{1, 0}};
	std::vector<const Column *> all;
	for (const auto &c : all_columns())
		all.push_back(&c);
	for (Tree t : {Tree::none, Tree::owner, Tree::parent, Tree::process}) {
		auto text = render(l, all, RenderOptions{Format::json, t});
		if (!text) {
			std::fprintf(stderr, "%s\n", text.error().str().c_str());
			return 1;
		}
		std::printf("%s\n\x1e\n", text->c_str()); // records separated by RS
	}
	return 0;
}
