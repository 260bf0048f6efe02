<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AutogradPanel</name>
    <message>
        <source>Run code that makes a tensor with a grad_fn, e.g. y = x * 2 with x = torch.ones(2, requires_grad=True).</source>
        <translation>运行一段产生带 grad_fn 张量的代码，例如 x = torch.ones(2, requires_grad=True) 之后 y = x * 2。</translation>
    </message>
    <message>
        <source>Search nodes (op, tensor, module)</source>
        <translation>搜索节点（运算、张量、模块）</translation>
    </message>
    <message>
        <source>Collapse by module</source>
        <translation>按模块折叠</translation>
    </message>
    <message>
        <source>Draw one box per module of an nn.Module, so large models stay readable</source>
        <translation>nn.Module 的每个模块画成一个框，让大模型也清晰易读</translation>
    </message>
    <message>
        <source>depth </source>
        <translation>深度 </translation>
    </message>
    <message>
        <source>How many levels of submodules stay separate when collapsed</source>
        <translation>折叠时保留多少层子模块</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>View as PNG…</source>
        <translation>视图导出为 PNG…</translation>
    </message>
    <message>
        <source>View as SVG…</source>
        <translation>视图导出为 SVG…</translation>
    </message>
    <message>
        <source>Graph as DOT…</source>
        <translation>图导出为 DOT…</translation>
    </message>
    <message>
        <source>Follow:</source>
        <translation>跟踪：</translation>
    </message>
    <message>
        <source>followed tensor</source>
        <translation>跟踪的张量</translation>
    </message>
    <message>
        <source>node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <source>module</source>
        <translation>模块</translation>
    </message>
    <message>
        <source>shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>dtype</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <source>note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>nodes</source>
        <translation>节点数</translation>
    </message>
    <message>
        <source>ops</source>
        <translation>运算</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>frozen</source>
        <translation>已冻结</translation>
    </message>
    <message>
        <source>operation</source>
        <translation>运算</translation>
    </message>
    <message>
        <source>leaf, requires grad</source>
        <translation>叶子，需要梯度</translation>
    </message>
    <message>
        <source>leaf, frozen</source>
        <translation>叶子，已冻结</translation>
    </message>
    <message>
        <source>depth: auto</source>
        <translation>深度：自动</translation>
    </message>
    <message>
        <source>module (collapsed)</source>
        <translation>模块（已折叠）</translation>
    </message>
    <message>
        <source>blue border: reached by backward()</source>
        <translation>蓝色边框：backward() 经过的节点</translation>
    </message>
    <message>
        <source>Click a node for its details</source>
        <translation>点击节点查看详情</translation>
    </message>
    <message>
        <source>Try it: Q = 3a³ − b²</source>
        <translation>动手试试：Q = 3a³ − b²</translation>
    </message>
    <message>
        <source>Q is a vector, so Q.backward() needs a gradient= vector: dQ/dQ, one number per element.</source>
        <translation>Q 是向量，所以 Q.backward() 需要一个 gradient= 向量：即 dQ/dQ，每个元素一个数。</translation>
    </message>
    <message>
        <source>e.g. 1., 1. — the blitz uses torch.tensor([1., 1.])</source>
        <translation>例如 1., 1. —— 教程中使用 torch.tensor([1., 1.])</translation>
    </message>
    <message>
        <source>Q.backward(gradient=…)</source>
        <translation>Q.backward(gradient=…)</translation>
    </message>
    <message>
        <source>Create a, b and Q</source>
        <translation>创建 a、b 和 Q</translation>
    </message>
    <message>
        <source>gradient =</source>
        <translation>gradient =</translation>
    </message>
    <message>
        <source>latest result (automatic)</source>
        <translation>最新结果（自动）</translation>
    </message>
    <message>
        <source>'{}' was deleted, so there is no graph to show.</source>
        <translation>“{}”已被删除，没有可显示的图。</translation>
    </message>
    <message>
        <source>{} is a {}, not a tensor: nothing to draw.</source>
        <translation>{} 是 {}，不是张量：无可绘制内容。</translation>
    </message>
    <message>
        <source>Reading and laying out the graph of {}…</source>
        <translation>正在读取并布局 {} 的计算图…</translation>
    </message>
    <message>
        <source>Open {}</source>
        <translation>展开 {}</translation>
    </message>
    <message>
        <source>Close {}</source>
        <translation>收起 {}</translation>
    </message>
    <message>
        <source>Could not draw this graph: {}</source>
        <translation>无法绘制此图：{}</translation>
    </message>
    <message>
        <source>Drawing {} boxes…</source>
        <translation>正在绘制 {} 个框…</translation>
    </message>
    <message>
        <source>{}: {} nodes, {} edges.</source>
        <translation>{}：{} 个节点，{} 条边。</translation>
    </message>
    <message>
        <source>Tip: tick 'Collapse by module' for an overview.</source>
        <translation>提示：勾选“按模块折叠”可查看概览。</translation>
    </message>
    <message>
        <source>Collapsed into {} boxes by module.</source>
        <translation>已按模块折叠为 {} 个框。</translation>
    </message>
    <message>
        <source>Too large to draw in full: collapsed into {} boxes by module.</source>
        <translation>图太大，无法完整绘制：已按模块折叠为 {} 个框。</translation>
    </message>
    <message>
        <source>Double-click a module to open it.</source>
        <translation>双击模块可展开。</translation>
    </message>
    <message>
        <source>Right-click a box of an opened module to close it.</source>
        <translation>右键点击已展开模块中的框可将其收起。</translation>
    </message>
    <message>
        <source>Too large to draw in full: showing the {} nodes nearest the root ({} hidden).</source>
        <translation>图太大，无法完整绘制：显示离根最近的 {} 个节点（隐藏 {} 个）。</translation>
    </message>
    <message>
        <source>saved {}</source>
        <translation>保存的 {}</translation>
    </message>
    <message>
        <source>freed by backward()</source>
        <translation>已被 backward() 释放</translation>
    </message>
    <message>
        <source>No node matches '{}'.</source>
        <translation>没有节点匹配“{}”。</translation>
    </message>
    <message>
        <source>{} nodes match, but none is drawn in this view.</source>
        <translation>有 {} 个节点匹配，但都不在当前视图中。</translation>
    </message>
    <message>
        <source>{} boxes match '{}'; press Enter for the next.</source>
        <translation>{} 个框匹配“{}”；按回车跳到下一个。</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>Graphviz DOT (*.dot *.gv)</source>
        <translation>Graphviz DOT (*.dot *.gv)</translation>
    </message>
    <message>
        <source>Nothing to export: no graph is shown.</source>
        <translation>没有可导出的内容：当前未显示计算图。</translation>
    </message>
    <message>
        <source>Could not export to {}: {}</source>
        <translation>无法导出到 {}：{}</translation>
    </message>
    <message>
        <source>Exported {}.</source>
        <translation>已导出 {}。</translation>
    </message>
    <message>
        <source>Created a, b and Q. Now run Q.backward(gradient=…).</source>
        <translation>已创建 a、b 和 Q。现在运行 Q.backward(gradient=…)。</translation>
    </message>
    <message>
        <source>There is no tensor Q yet: click 'Create a, b and Q' first.</source>
        <translation>还没有张量 Q：请先点击“创建 a、b 和 Q”。</translation>
    </message>
</context>
</TS>
